package com.benchsci.deployer.template;

import com.benchsci.deployer.tools.ExternalCommand;
import com.benchsci.deployer.tools.ToolCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The policy check: runs {@code cfn-guard validate} with every rule of {@code guard-rules/} on a template and
 * reports each violation with its file, resource (logical id), rule and the rule's message (which ends with a
 * {@code [FIX]} line). The deployer calls {@link #validate} before any AWS call; the build also runs the rules'
 * own tests through {@link #testRules}.
 */
public final class GuardCheck {

  /** cfn-guard's exit codes: 19 = a rule failed on the data, 7 = a rule test did not get its expected result. */
  private static final int VALIDATION_FAILED = 19;
  private static final int TESTS_FAILED = 7;
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

  /** The pinned cfn-guard from the tool cache with the rules in {@code <repoRoot>/guard-rules}. */
  public static GuardCheck forRepository(Path repoRoot) {
    return new GuardCheck(ToolCache.standard().cfnGuard(), repoRoot.resolve("guard-rules"));
  }

  /**
   * One failed rule on one resource. {@code resource} is empty when the rule failed on the template as a whole;
   * {@code entry} is where in the resource, down to a list entry (/Resources/Web/Properties/SecurityGroupIngress/7).
   */
  public record Violation(Path file, String resource, String rule, String message, String entry) {
    @Override
    public String toString() {
      String where = resource.isEmpty() ? file.toString() : file + " resource " + resource;
      return where + " violates " + rule + ":\n  " + message.replace("\n", "\n  ");
    }
  }

  /** The result of {@code cfn-guard test}: whether every rule test got its expected result, and the report. */
  public record RuleTests(boolean passed, String report) {}

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
    List<String> arguments = new ArrayList<>(List.of("validate"));
    rules.forEach(r -> arguments.addAll(List.of("--rules", r.toString())));
    arguments.addAll(List.of("--data", template.toString(), "--structured", "--show-summary", "none",
        "--output-format", "json"));
    return violations(template, run(arguments, Set.of(0, VALIDATION_FAILED)).stdout());
  }

  /** Writes cfn-guard's own JUnit XML of {@code validate} on {@code template} (for CI's test results). */
  public void writeValidateReport(Path template, Path junitXml) {
    requireFile(template);
    ExternalCommand.Result run = run(List.of("validate", "--rules", rulesDir.toString(), "--data", template.toString(),
        "--structured", "--show-summary", "none", "--output-format", "junit"), Set.of(0, VALIDATION_FAILED));
    write(junitXml, run.stdout());
  }

  /**
   * Runs {@code cfn-guard test} on the rules directory (each rule against its {@code tests/<rule>*.yaml}) and
   * writes cfn-guard's JUnit XML to {@code junitXml}. On failure the result carries the readable report.
   */
  public RuleTests testRules(Path junitXml) {
    ExternalCommand.Result junit = run(List.of("test", "--dir", rulesDir.toString(), "--output-format", "junit"),
        Set.of(0, TESTS_FAILED));
    write(junitXml, junit.stdout());
    if (junit.exitCode() == 0) {
      return new RuleTests(true, "all rule tests passed");
    }
    return new RuleTests(false, run(List.of("test", "--dir", rulesDir.toString()), Set.of(TESTS_FAILED)).stdout());
  }

  private static void requireFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("file not found: " + file);
    }
  }

  private static void write(Path file, String content) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  // ---- reading cfn-guard's structured JSON ------------------------------------------------------------------

  /**
   * The JSON is a list (one entry per data file) of {not_compliant: [{Rule: {name, checks}}]}; checks nest
   * Rule / Clause / Disjunctions entries. The first custom message met on the way down (a rule call's or a
   * clause's) is the violation's message; the first property path below it names the resource.
   */
  @SuppressWarnings("unchecked")
  private static List<Violation> violations(Path template, String json) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(64 * 1024 * 1024);
    Object parsed = new Yaml(options).load(json);
    if (!(parsed instanceof List<?> files)) {
      throw new IllegalStateException("unexpected cfn-guard output for " + template + ":\n" + json);
    }
    Set<Violation> found = new LinkedHashSet<>();
    for (Object file : files) {
      for (Object failed : (List<Object>) ((Map<String, Object>) file).getOrDefault("not_compliant", List.of())) {
        Map<String, Object> rule = (Map<String, Object>) ((Map<String, Object>) failed).get("Rule");
        String ruleName = String.valueOf(rule.get("name"));
        collect(template, ruleName, rule.get("checks"), null, found);
      }
    }
    return List.copyOf(found);
  }

  @SuppressWarnings("unchecked")
  private static void collect(Path template, String rule, Object node, String message, Set<Violation> found) {
    if (node instanceof List<?> list) {
      list.forEach(item -> collect(template, rule, item, message, found));
      return;
    }
    if (!(node instanceof Map<?, ?> map)) {
      return;
    }
    String own = message != null ? message : customMessage(map);
    if (own == null && map.containsKey("Disjunctions")) {
      // "a or b <<message>>" carries the message on its last alternative only; it belongs to all of them.
      own = firstCustomMessage(map.get("Disjunctions"));
    }
    // A failed comparison carries "check"; a block over a property that is missing carries "unresolved".
    Object failure = map.containsKey("check") ? map.get("check") : map.get("unresolved");
    if (failure != null) {
      String text = own != null ? own : tidy(String.valueOf(((Map<String, Object>) map.get("messages"))
          .get("error_message")));
      String path = resourcePath(failure);
      found.add(new Violation(template, path.isEmpty() ? "" : path.split("/")[2], rule, text, segments(path, 5)));
      return;
    }
    for (Object child : map.values()) {
      collect(template, rule, child, own, found);
    }
  }

  private static String customMessage(Map<?, ?> node) {
    if (node.get("messages") instanceof Map<?, ?> messages
        && messages.get("custom_message") instanceof String custom && !custom.isBlank()) {
      return tidy(custom);
    }
    return null;
  }

  private static String firstCustomMessage(Object node) {
    if (node instanceof Map<?, ?> map) {
      String own = customMessage(map);
      if (own != null) {
        return own;
      }
      node = new ArrayList<>(map.values());
    }
    if (node instanceof List<?> list) {
      for (Object child : list) {
        String found = firstCustomMessage(child);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /**
   * The first path {@code /Resources/<id>/...} in a check (a captured key, path /Resources, gives
   * {@code /Resources/<key>}), or "" when the check names no resource.
   */
  private static String resourcePath(Object node) {
    if (node instanceof Map<?, ?> map) {
      if (map.get("path") instanceof String path && path.startsWith("/Resources")) {
        if (path.split("/").length > 2) {
          return path;
        }
        if (map.get("value") instanceof String key) {
          return "/Resources/" + key;
        }
      }
      return firstResourcePath(map.values());
    }
    return node instanceof List<?> list ? firstResourcePath(list) : "";
  }

  private static String firstResourcePath(Collection<?> nodes) {
    for (Object child : nodes) {
      String found = resourcePath(child);
      if (!found.isEmpty()) {
        return found;
      }
    }
    return "";
  }

  /** The first {@code depth} segments of a path: /Resources/Web/Properties/SecurityGroupIngress/7 at depth 5. */
  private static String segments(String path, int depth) {
    String[] parts = path.split("/");
    return parts.length <= depth + 1 ? path : String.join("/", java.util.Arrays.copyOf(parts, depth + 1));
  }

  private static String tidy(String message) {
    return message.lines().map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.joining("\n"));
  }

  // ---- running cfn-guard ------------------------------------------------------------------------------------

  private ExternalCommand.Result run(List<String> arguments, Set<Integer> expectedExitCodes) {
    List<String> command = new ArrayList<>();
    command.add(cfnGuard.toString());
    command.addAll(arguments);
    ExternalCommand.Result result = ExternalCommand.run(command, LIMIT);
    if (!expectedExitCodes.contains(result.exitCode())) {
      throw new IllegalStateException("'" + String.join(" ", command) + "' failed (exit " + result.exitCode()
          + "):\n" + result.output());
    }
    return result;
  }
}
