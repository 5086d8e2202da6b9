package com.benchsci.deployer.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.benchsci.deployer.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("emulator")
class LintCheckTest {

  private static LintCheck lint;

  @TempDir Path dir;

  @BeforeAll
  static void installCfnLint() {
    lint = new LintCheck(Tools.cache().cfnLint());
  }

  @Test
  void cleanTemplateHasNoFindings() throws IOException {
    Path template = write("clean.yaml", """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              DisplayName: hello
        """);

    assertThat(lint.check(template)).isEmpty();
  }

  @Test
  void findingsNameFileLineRuleAndResource() throws IOException {
    Path template = write("bad.yaml", """
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          Unused:
            Type: String
        Resources:
          WebSecurityGroup:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: web
              Colour: blue
        """);

    List<LintCheck.Finding> findings = lint.check(template);

    assertThat(findings).extracting(LintCheck.Finding::rule, LintCheck.Finding::resource,
            LintCheck.Finding::level, LintCheck.Finding::line)
        .containsExactlyInAnyOrder(
            tuple("E3002", "WebSecurityGroup", "Error", 10),
            tuple("W2001", "Parameters/Unused", "Warning", 3));
    assertThat(lint.violations(template)).hasSize(2)
        .containsAll(findings.stream().map(Object::toString).toList());
    assertThat(findings).map(LintCheck.Finding::toString)
        .anySatisfy(line -> assertThat(line).startsWith(template + ":10: Error E3002 in WebSecurityGroup").contains("Colour"));
  }

  @Test
  void informationalFindingsCountToo() throws IOException {
    // I3011: a stateful resource without an explicit DeletionPolicy/UpdateReplacePolicy.
    Path template = write("info.yaml", """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Logs:
            Type: AWS::Logs::LogGroup
            Properties:
              RetentionInDays: 7
        """);

    assertThat(lint.check(template)).extracting(LintCheck.Finding::level, LintCheck.Finding::rule)
        .contains(tuple("Informational", "I3011"));
  }

  @Test
  void missingTemplateIsNamed() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> lint.check(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope.yaml");
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }
}
