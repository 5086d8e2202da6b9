package com.benchsci.deployer.testing;

import com.benchsci.deployer.tools.ExternalCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The policy rules' own tests, for the build: {@code cfn-guard test} on a rules directory (each rule against its
 * {@code tests/<rule>*.yaml}) and cfn-guard's JUnit XML of it, for CI's test results. Test code: the deployer itself
 * only validates.
 */
public final class GuardRuleTests {

  /** cfn-guard's exit code when a rule test did not get its expected result. */
  private static final int TESTS_FAILED = 7;
  private static final Duration LIMIT = Duration.ofMinutes(5);

  /** The result of {@code cfn-guard test}: whether every rule test got its expected result, and the report. */
  public record Result(boolean passed, String report) {}

  private final Path cfnGuard;
  private final Path rulesDir;

  public GuardRuleTests(Path cfnGuard, Path rulesDir) {
    this.cfnGuard = cfnGuard;
    this.rulesDir = rulesDir;
  }

  /** The pinned cfn-guard with the rules in {@code <repoRoot>/guard-rules}. */
  public static GuardRuleTests forRepository(Path repoRoot) {
    return new GuardRuleTests(Tools.cache().cfnGuard(), repoRoot.resolve("guard-rules"));
  }

  /** Runs the rule tests and writes cfn-guard's JUnit XML to {@code junitXml}; on failure the readable report. */
  public Result run(Path junitXml) {
    ExternalCommand.Result junit = guard(Set.of(0, TESTS_FAILED),
        "test", "--dir", rulesDir.toString(), "--output-format", "junit");
    write(junitXml, junit.stdout());
    if (junit.exitCode() == 0) {
      return new Result(true, "all rule tests passed");
    }
    return new Result(false, guard(Set.of(TESTS_FAILED), "test", "--dir", rulesDir.toString()).stdout());
  }

  private ExternalCommand.Result guard(Set<Integer> expectedExitCodes, String... arguments) {
    List<String> command = new ArrayList<>(List.of(cfnGuard.toString()));
    command.addAll(List.of(arguments));
    ExternalCommand.Result result = ExternalCommand.run(command, LIMIT);
    if (!expectedExitCodes.contains(result.exitCode())) {
      throw new IllegalStateException("'" + String.join(" ", command) + "' failed (exit " + result.exitCode()
          + "):\n" + result.output());
    }
    return result;
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
