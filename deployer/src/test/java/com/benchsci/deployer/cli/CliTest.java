package com.benchsci.deployer.cli;

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
    assertThat(run("--templates", dir.toString(), "--rules", rules)).isEqualTo(ExitCode.FAILED.code());
    assertThat(err.toString().trim()).isEqualTo("ERROR: template not found: " + dir.resolve("bootstrap.yaml"));
  }

  @Test
  void missingPolicyRulesAreOneErrorLine() {
    assertThat(run("--rules", dir.resolve("nowhere").toString())).isEqualTo(ExitCode.FAILED.code());
    assertThat(err.toString().trim()).isEqualTo("ERROR: cfn-guard rules not found: " + dir.resolve("nowhere")
        + " (run from the repository root or set --rules)");
  }

  @Test
  void anUnknownEnvironmentIsAUsageError() {
    assertThat(run("--env", "staging")).isEqualTo(ExitCode.USAGE.code());
    assertThat(err.toString()).contains("--env", "staging");
  }

  @Test
  void badReviewedDigestsAreOneErrorLine() {
    assertThat(run("--reviewed-digests", "hello-host=abc")).isEqualTo(ExitCode.FAILED.code());
    assertThat(err.toString().trim()).isEqualTo("ERROR: --reviewed-digests: 'hello-host=abc' is not"
        + " STACK=<64 hex digits> (the content of review-digests.txt)");
  }

  @Test
  void auditWithoutItsRulesIsOneErrorLine() {
    assertThat(run("audit", "--rules", dir.resolve("nowhere").toString(), "--endpoint", "http://127.0.0.1:9"))
        .isEqualTo(ExitCode.FAILED.code());
    assertThat(err.toString().trim()).isEqualTo("ERROR: cfn-guard rules not found: " + dir.resolve("nowhere")
        + " (run from the repository root or set --rules)");
  }
}
