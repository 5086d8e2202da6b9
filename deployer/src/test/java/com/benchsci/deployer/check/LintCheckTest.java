package com.benchsci.deployer.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.benchsci.deployer.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("emulator")
class LintCheckTest {

  private static LintCheck lint;

  private static final String UNUSED_PARAMETER = """
      AWSTemplateFormatVersion: "2010-09-09"
      Parameters:
        Unused:
          Type: String
      Resources:
        Topic:
          Type: AWS::SNS::Topic
      """;

  private static final String CLEAN = """
      AWSTemplateFormatVersion: "2010-09-09"
      Parameters:
        Name:
          Type: String
      Resources:
        Topic:
          Type: AWS::SNS::Topic
          Properties:
            DisplayName: !Ref Name
      """;

  @TempDir Path dir;

  @BeforeAll
  static void installCfnLint() {
    lint = new LintCheck(Tools.cache().cfnLint());
  }

  /** Errors, warnings and informational findings all count (I3011: a stateful resource without a DeletionPolicy). */
  @Test
  void findingsOfEveryLevelNameFileLineRuleAndResource() throws IOException {
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
          Logs:
            Type: AWS::Logs::LogGroup
            Properties:
              RetentionInDays: 7
        """);
    // The second question is answered from the kept result: violations() is check() as the deployer prints it.
    LintCheck check = new LintCheck(() -> Tools.cache().cfnLint(), Optional.of(new LintResults(dir.resolve("kept"))));

    List<LintCheck.Finding> findings = check.check(template);

    assertThat(findings).extracting(LintCheck.Finding::rule, LintCheck.Finding::resource,
            LintCheck.Finding::level, LintCheck.Finding::line)
        .containsExactlyInAnyOrder(
            tuple("E3002", "WebSecurityGroup", "Error", 10),
            tuple("W2001", "Parameters/Unused", "Warning", 3),
            // Neither DeletionPolicy nor UpdateReplacePolicy: one finding each.
            tuple("I3011", "Logs", "Informational", 11), tuple("I3011", "Logs", "Informational", 11));
    assertThat(check.violations(template)).hasSize(4)
        .containsAll(findings.stream().map(Object::toString).toList());
    assertThat(findings).map(LintCheck.Finding::toString)
        .anySatisfy(line -> assertThat(line).startsWith(template + ":10: Error E3002 in WebSecurityGroup").contains("Colour"));
  }

  /**
   * cfn-lint reads {@code .cfnlintrc} from its working folder and from the home folder (cfnlint/config.py,
   * {@code ConfigFileArgs._find_config}); a deploy started from a folder holding one, or by a user who has one, must
   * not have findings silenced by it.
   */
  @Test
  void aCfnlintrcInTheFolderOrHomeOfTheRunSilencesNothing() throws IOException {
    Path template = write("unused.yaml", UNUSED_PARAMETER);
    Files.writeString(dir.resolve(".cfnlintrc"), "ignore_checks:\n  - W2001\n");
    List<String> inThatFolder = new ArrayList<>(List.of("env", "HOME=" + dir, "sh", "-c", "cd \"$0\" && exec \"$@\"",
        dir.toString()));
    inThatFolder.addAll(Tools.cache().cfnLint());

    assertThat(new LintCheck(inThatFolder).check(template)).extracting(LintCheck.Finding::rule)
        .containsExactly("W2001");
  }

  /**
   * The results kept in the tool cache ({@link LintResults}): the same bytes are linted once, by whichever check (or
   * JVM) comes first; other bytes, and a kept file that no longer reads, are linted again.
   */
  @Test
  void aTemplateLintedBeforeIsNotLintedAgainUnlessItsBytesChange() throws IOException {
    Path runs = dir.resolve("cfn-lint-runs");
    List<String> counted = new ArrayList<>(List.of("sh", "-c", "echo run >> \"$0\" && exec \"$@\"", runs.toString()));
    counted.addAll(Tools.cache().cfnLint());
    Path kept = Files.createDirectory(dir.resolve("results"));
    Path template = write("unused.yaml", UNUSED_PARAMETER);

    List<LintCheck.Finding> first = new LintCheck(() -> counted, Optional.of(new LintResults(kept))).check(template);
    List<LintCheck.Finding> again = new LintCheck(() -> counted, Optional.of(new LintResults(kept))).check(template);
    assertThat(first).extracting(LintCheck.Finding::rule).containsExactly("W2001");
    assertThat(again).isEqualTo(first);
    assertThat(Files.readAllLines(runs)).as("cfn-lint runs").hasSize(1);

    // The parameter used: a clean template, with no finding at all.
    Files.writeString(template, CLEAN);
    LintCheck check = new LintCheck(() -> counted, Optional.of(new LintResults(kept)));
    assertThat(check.check(template)).isEmpty();
    assertThat(Files.readAllLines(runs)).as("cfn-lint runs after the bytes changed").hasSize(2);

    try (var files = Files.list(kept)) {
      for (Path file : files.toList()) {
        Files.writeString(file, "not JSON {");
      }
    }
    Files.writeString(template, UNUSED_PARAMETER);
    assertThat(check.check(template)).extracting(LintCheck.Finding::resource).containsExactly("Parameters/Unused");
    assertThat(Files.readAllLines(runs)).as("cfn-lint runs after the kept result was garbled").hasSize(3);
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
