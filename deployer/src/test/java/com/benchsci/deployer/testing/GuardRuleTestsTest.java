package com.benchsci.deployer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build's runner of the policy rules' own tests, against the real cfn-guard, on rules and tests of its own. */
@Tag("emulator")
class GuardRuleTestsTest {

  private static final Path RULES = Path.of(System.getProperty("repo.root", "..")).resolve("guard-rules");

  @TempDir
  Path dir;

  /** Its own rule and test, not the repository's: GuardRulesTest runs those, once per build. */
  @Test
  void ruleTestsThatGetTheirExpectedResultsPassWithTheirJunitReport() throws IOException {
    Path rules = Files.createDirectories(dir.resolve("rules/tests"));
    Files.copy(RULES.resolve("host_eip_retained.guard"), dir.resolve("rules/host_eip_retained.guard"));
    Files.writeString(rules.resolve("host_eip_retained_tests.yaml"), """
        - name: an Elastic IP without policies fails
          input:
            Resources:
              Address: { Type: AWS::EC2::EIP }
          expectations:
            rules:
              HOST_EIP_RETAINED: FAIL
        """);
    Path report = dir.resolve("rule-tests.xml");

    GuardRuleTests.Result result = new GuardRuleTests(Tools.cache().cfnGuard(), dir.resolve("rules")).run(report);

    assertThat(result.passed()).as(result.report()).isTrue();
    assertThat(Files.readString(report)).contains("<testsuites", "HOST_EIP_RETAINED").doesNotContain("<failure");
  }

  @Test
  void ruleTestWithAWrongExpectationFails() throws IOException {
    Path rules = Files.createDirectories(dir.resolve("rules/tests"));
    Files.copy(RULES.resolve("host_eip_retained.guard"), dir.resolve("rules/host_eip_retained.guard"));
    Files.writeString(rules.resolve("host_eip_retained_tests.yaml"), """
        - name: an Elastic IP without policies wrongly expected to pass
          input:
            Resources:
              Address: { Type: AWS::EC2::EIP }
          expectations:
            rules:
              HOST_EIP_RETAINED: PASS
        """);

    GuardRuleTests.Result result = new GuardRuleTests(Tools.cache().cfnGuard(), dir.resolve("rules"))
        .run(dir.resolve("rule-tests.xml"));

    assertThat(result.passed()).isFalse();
    assertThat(result.report()).contains("an Elastic IP without policies wrongly expected to pass");
  }

}
