package com.benchsci.deployer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build's runner of the policy rules' own tests, against the real cfn-guard and the repository's rules. */
class GuardRuleTestsTest {

  private static final Path REPO = Path.of(System.getProperty("repo.root", ".."));
  private static final Path RULES = REPO.resolve("guard-rules");

  private final GuardRuleTests guard = GuardRuleTests.forRepository(REPO);

  @TempDir
  Path dir;

  @Test
  void junitReportOfValidateIsWritten() throws IOException {
    Path report = dir.resolve("reports/bootstrap.xml");
    guard.writeValidateReport(REPO.resolve("cloudformation/bootstrap.yaml"), report);
    assertThat(Files.readString(report)).contains("<testsuites").contains("bucket_tls_only.guard");
  }

  @Test
  void repositoryRuleTestsPass() throws IOException {
    Path report = dir.resolve("rule-tests.xml");
    GuardRuleTests.Result result = guard.run(report);
    assertThat(result.passed()).as(result.report()).isTrue();
    assertThat(Files.readString(report)).contains("SG_INGRESS_POLICY").doesNotContain("<failure");
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
