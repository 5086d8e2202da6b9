package com.benchsci.deployer.check;

import com.benchsci.deployer.template.Violation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * cfn-guard's structured JSON ({@code validate --structured --output-format json}) read into violations: each with
 * its file, resource (logical id), rule, the rule's own message (which ends with a {@code [FIX]} line) and where in
 * the resource it failed.
 */
final class GuardFindings {

  private GuardFindings() {}

  /**
   * The JSON is a list (one entry per data file) of {not_compliant: [{Rule: {name, checks}}]}; checks nest
   * Rule / Clause / Disjunctions entries. The first custom message met on the way down (a rule call's or a
   * clause's) is the violation's message; the first property path below it names the resource.
   */
  @SuppressWarnings("unchecked")
  static List<Violation> read(Path template, String json) {
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
    return parts.length <= depth + 1 ? path : String.join("/", Arrays.copyOf(parts, depth + 1));
  }

  private static String tidy(String message) {
    return message.lines().map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.joining("\n"));
  }
}
