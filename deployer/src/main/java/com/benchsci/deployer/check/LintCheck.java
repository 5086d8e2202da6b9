package com.benchsci.deployer.check;

import com.benchsci.deployer.template.TemplateCheck;
import com.benchsci.deployer.tools.ExternalCommand;
import com.benchsci.deployer.tools.ToolCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs cfn-lint (the pinned version from {@link ToolCache}) over one template and returns every finding,
 * informational ones included: the templates are kept at zero, and a justified exception belongs in the
 * template's own cfn-lint metadata, not here.
 */
public final class LintCheck implements TemplateCheck {

  /** One cfn-lint finding; {@code resource} is the logical id, or the section and name outside Resources. */
  public record Finding(Path file, int line, String level, String rule, String resource, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + level + " " + rule + " in " + resource + ": " + message;
    }
  }

  // A bound, so a cfn-lint that hangs stops the check (its stderr then shows in the error) instead of the deploy.
  private static final Duration LIMIT = Duration.ofMinutes(5);
  // cfn-lint otherwise reads ~/.cfnlintrc and ./.cfnlintrc (cfnlint/config.py), so a file of the machine's, or of
  // the folder a deploy is started from, could silence a finding; an empty configuration file replaces both.
  private static final List<String> ARGUMENTS = List.of("--config-file", "/dev/null", "--format", "json",
      "--include-checks", "I", "--");

  private final Supplier<List<String>> cfnLint;
  private final Optional<LintResults> results;

  /** {@code cfnLint} is the command that starts cfn-lint, as {@link ToolCache#cfnLint()} returns it. */
  public LintCheck(List<String> cfnLint) {
    this(() -> cfnLint, Optional.empty());
  }

  LintCheck(Supplier<List<String>> cfnLint, Optional<LintResults> results) {
    this.cfnLint = cfnLint;
    this.results = results;
  }

  /**
   * The pinned cfn-lint of {@code tools}, with its results kept in that cache ({@link LintResults}): a template
   * linted before is not linted again, and cfn-lint is looked for only when one was not.
   */
  public static LintCheck keepingResults(ToolCache tools) {
    Path dir = tools.root().resolve("cfn-lint-results").resolve(tools.version("cfn-lint"));
    return new LintCheck(tools::cfnLint, Optional.of(new LintResults(dir)));
  }

  /** The findings as the deployer prints them before it stops: one line each, naming file, rule and resource. */
  @Override
  public List<String> violations(Path template) {
    return check(template).stream().map(Finding::toString).toList();
  }

  public List<Finding> check(Path template) {
    if (!Files.isRegularFile(template)) {
      throw new IllegalArgumentException("no template at " + template.toAbsolutePath());
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(template);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + template, e);
    }
    Optional<List<Finding>> kept = results.flatMap(r -> r.find(bytes)).flatMap(json -> readBack(template, json));
    if (kept.isPresent()) {
      return kept.get();
    }
    String json = lint(template);
    List<Finding> findings = parse(template, json);
    results.ifPresent(r -> r.keep(bytes, json));
    return findings;
  }

  /** A kept result's findings; none when it does not read (a file changed by hand): the template is linted again. */
  private static Optional<List<Finding>> readBack(Path template, String json) {
    try {
      return Optional.of(parse(template, json));
    } catch (RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  private String lint(Path template) {
    List<String> command = new ArrayList<>(cfnLint.get());
    command.addAll(ARGUMENTS);
    command.add(template.toString());
    ExternalCommand.Result result = ExternalCommand.run(command, LIMIT);
    int exit = result.exitCode();
    // Exit status is a bit mask: 2 errors, 4 warnings, 8 informational; anything else means cfn-lint failed.
    if ((exit & ~(2 | 4 | 8)) != 0) {
      throw new IllegalStateException("cfn-lint failed on " + template + " (exit " + exit + "):\n"
          + result.output());
    }
    return result.stdout();
  }

  @SuppressWarnings("unchecked")
  private static List<Finding> parse(Path template, String json) {
    List<Finding> findings = new ArrayList<>();
    // JSON is YAML: SnakeYAML, already a dependency, reads it.
    Object root = new Yaml().load(json);
    if (!(root instanceof List<?> list)) {
      throw new IllegalStateException("cfn-lint printed no JSON list for " + template + ":\n" + json);
    }
    for (Object item : list) {
      Map<String, Object> finding = (Map<String, Object>) item;
      Map<String, Object> rule = (Map<String, Object>) finding.get("Rule");
      Map<String, Object> location = (Map<String, Object>) finding.get("Location");
      Map<String, Object> start = (Map<String, Object>) location.get("Start");
      List<Object> path = (List<Object>) location.getOrDefault("Path", List.of());
      findings.add(new Finding(template, ((Number) start.get("LineNumber")).intValue(),
          String.valueOf(finding.get("Level")), String.valueOf(rule.get("Id")), where(path),
          String.valueOf(finding.get("Message"))));
    }
    return findings;
  }

  private static String where(List<Object> path) {
    if (path.isEmpty()) {
      return "the template";
    }
    if (path.size() >= 2 && "Resources".equals(path.get(0))) {
      return String.valueOf(path.get(1));
    }
    return path.size() >= 2 ? path.get(0) + "/" + path.get(1) : String.valueOf(path.get(0));
  }
}
