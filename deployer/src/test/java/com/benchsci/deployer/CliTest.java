package com.benchsci.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {

  @TempDir
  Path dir;

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Cli.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void aMissingTemplateIsOneErrorLineAndExitOne() {
    String rules = Path.of(System.getProperty("repo.root"), "guard-rules").toString();
    assertThat(run("--templates", dir.toString(), "--rules", rules)).isEqualTo(1);
    assertThat(err.toString().trim()).isEqualTo("ERROR: template not found: " + dir.resolve("bootstrap.yaml"));
  }

  @Test
  void missingPolicyRulesAreOneErrorLine() {
    assertThat(run("--rules", dir.resolve("nowhere").toString())).isEqualTo(1);
    assertThat(err.toString().trim()).isEqualTo("ERROR: cfn-guard rules not found: " + dir.resolve("nowhere")
        + " (run from the repository root or set --rules)");
  }

  @Test
  void anUnknownEnvironmentIsAUsageError() {
    assertThat(run("--env", "staging")).isEqualTo(2);
    assertThat(err.toString()).contains("--env", "staging");
  }

  @Test
  void reviewedDigestsAreStackShaPairsAnyMeansNoCheckAndAnythingElseIsOneErrorLine() {
    String digest = "0123456789abcdef".repeat(4);
    assertThat(Cli.reviewedDigests("any")).isNull();
    assertThat(Cli.reviewedDigests("")).isEmpty();
    assertThat(Cli.reviewedDigests("hello-host-bootstrap=" + digest + ",hello-host=" + digest))
        .containsOnlyKeys("hello-host-bootstrap", "hello-host");
    assertThat(run("--reviewed-digests", "hello-host=abc")).isEqualTo(1);
    assertThat(err.toString().trim()).isEqualTo("ERROR: --reviewed-digests: 'hello-host=abc' is not"
        + " STACK=<64 hex digits> (the content of review-digests.txt)");
  }

  @Test
  void changeSetNamesAreValidCarryTheCommitAndDifferForRunsStartedInTheSameSecond() {
    String first = Cli.changeSetName();
    assertThat(first).matches("hello-host-[A-Za-z0-9]+-\\d{8}-\\d{6}-[0-9a-f]{8}").hasSizeLessThanOrEqualTo(128);
    assertThat(Cli.changeSetName()).isNotEqualTo(first);
  }
}
