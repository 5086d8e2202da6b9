package com.benchsci.deployer.check;

import com.benchsci.deployer.template.TemplateCheck;
import com.benchsci.deployer.template.Violation;
import com.benchsci.deployer.tools.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The policy check: runs {@code cfn-guard validate} with the rules of {@code guard-rules/} on a template and returns
 * each violation ({@link GuardFindings} reads cfn-guard's answer). The deployer runs it on both templates before any
 * AWS call, and the audit on the live firewall.
 */
public final class GuardCheck implements TemplateCheck {

  /** cfn-guard's exit code when a rule failed on the data (0: every rule passed or was skipped). */
  private static final int VALIDATION_FAILED = 19;
  private static final Duration LIMIT = Duration.ofMinutes(5);

  private final Path cfnGuard;
  private final Path rulesDir;

  public GuardCheck(Path cfnGuard, Path rulesDir) {
    if (!Files.isDirectory(rulesDir)) {
      throw new IllegalArgumentException("guard rules directory not found: " + rulesDir);
    }
    this.cfnGuard = cfnGuard;
    this.rulesDir = rulesDir;
  }

  /** The violations as the deployer prints them before it stops: where, which rule, its message. */
  @Override
  public List<String> violations(Path template) {
    return validate(template).stream().map(Violation::toString).toList();
  }

  /** Every violation of every rule in {@code template}; an empty list means the template complies. */
  public List<Violation> validate(Path template) {
    return validate(template, List.of(rulesDir));
  }

  /**
   * The violations of only the named rule files of the rules directory (e.g. the firewall rules, for a document
   * that describes the security groups and nothing else of the host).
   */
  public List<Violation> validate(Path template, Collection<String> ruleFiles) {
    List<Path> rules = ruleFiles.stream().map(rulesDir::resolve).toList();
    rules.forEach(GuardCheck::requireFile);
    return validate(template, rules);
  }

  private List<Violation> validate(Path template, List<Path> rules) {
    requireFile(template);
    List<String> command = new ArrayList<>(List.of(cfnGuard.toString(), "validate"));
    rules.forEach(r -> command.addAll(List.of("--rules", r.toString())));
    command.addAll(List.of("--data", template.toString(), "--structured", "--show-summary", "none",
        "--output-format", "json"));
    ExternalCommand.Result result = ExternalCommand.run(command, LIMIT);
    if (!Set.of(0, VALIDATION_FAILED).contains(result.exitCode())) {
      throw new IllegalStateException("'" + String.join(" ", command) + "' failed (exit " + result.exitCode()
          + "):\n" + result.output());
    }
    return GuardFindings.read(template, result.stdout());
  }

  private static void requireFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("file not found: " + file);
    }
  }
}
