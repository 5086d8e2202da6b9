package com.benchsci.deployer.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PythonEnvironmentTest {

  @Test
  void readsTheFiveLinesOfTheProbe() {
    PythonEnvironment python = PythonEnvironment.parse("""
        /opt/py/bin/python3.11
        /opt/py/bin
        1.51.0

        /opt/py/lib/python3.11/site-packages/cfnlint
        """);

    assertThat(python.executable()).isEqualTo(Path.of("/opt/py/bin/python3.11"));
    assertThat(python.script("cfn-lint")).isEqualTo(Path.of("/opt/py/bin/cfn-lint"));
    assertThat(python.hasCfnLint("1.51.0")).isTrue();
    assertThat(python.hasCfnLint("1.51.1")).isFalse();
    assertThat(python.hasMoto("5.2.1")).as("moto is not installed there").isFalse();
    assertThat(python.cfnLintPackage()).isEqualTo(Path.of("/opt/py/lib/python3.11/site-packages/cfnlint"));
  }

  @Test
  void anInterpreterThatCouldNotAnswerHoldsNothing() {
    for (String output : new String[] {"", "Traceback (most recent call last):\n  ...\nImportError: no module\n"}) {
      PythonEnvironment python = PythonEnvironment.parse(output);
      assertThat(python).isEqualTo(PythonEnvironment.NONE);
      assertThat(python.hasCfnLint("1.51.0")).isFalse();
      assertThat(python.hasMoto("5.2.1")).isFalse();
    }
  }
}
