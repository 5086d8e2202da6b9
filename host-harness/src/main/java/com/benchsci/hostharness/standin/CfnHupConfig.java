package com.benchsci.hostharness.standin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * cfn-hup's configuration as aws-cfn-bootstrap reads it ({@code update_hooks.parse_config}): {@code cfn-hup.conf}'s
 * [main] section (stack required; region, interval in minutes, umask, verbose, url), and the hooks of
 * {@code hooks.conf} and every file of {@code hooks.d}, in one namespace (a hook of the same name in a later file
 * overrides the earlier one's values). A hook without triggers, path or action is left out with an error line, as the
 * real one does. Errors that stop cfn-hup are {@link IllegalArgumentException}s with the real one's wording.
 */
record CfnHupConfig(Map<String, String> main, List<Hook> hooks) {

  /** One hook: triggers (post.add, post.update, post.remove), the path it watches, the action and who runs it. */
  record Hook(String name, List<String> triggers, String path, String action, String runas) {}

  static final int DEFAULT_INTERVAL_MINUTES = 15;
  static final int DEFAULT_UMASK = 0022;

  static CfnHupConfig read(Path dir, StandInLog log) {
    Path mainFile = dir.resolve("cfn-hup.conf");
    if (!Files.isRegularFile(mainFile)) {
      throw new IllegalArgumentException("Could not find main configuration at " + mainFile);
    }
    Map<String, String> main = ini(List.of(mainFile)).getOrDefault("main", Map.of());
    if (!main.containsKey("stack")) {
      throw new IllegalArgumentException("[main] section must contain stack option");
    }
    List<Path> hookFiles = new ArrayList<>();
    if (Files.isRegularFile(dir.resolve("hooks.conf"))) {
      hookFiles.add(dir.resolve("hooks.conf"));
    }
    Path hooksDir = dir.resolve("hooks.d");
    if (Files.isDirectory(hooksDir)) {
      try (Stream<Path> files = Files.list(hooksDir)) {
        files.filter(Files::isRegularFile).sorted().forEach(hookFiles::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + hooksDir, e);
      }
    }
    if (hookFiles.isEmpty()) {
      throw new IllegalArgumentException("No hook configurations found at " + dir.resolve("hooks.conf") + " or "
          + hooksDir + ".");
    }
    List<Hook> hooks = new ArrayList<>();
    ini(hookFiles).forEach((name, options) -> {
      for (String required : List.of("triggers", "path", "action")) {
        if (!options.containsKey(required)) {
          log.error("No %s specified for hook %s", required, name);
          return;
        }
      }
      List<String> triggers = Stream.of(options.get("triggers").split(",")).map(String::strip).toList();
      if (triggers.equals(List.of("on.command"))) {
        throw new IllegalArgumentException("hook " + name + ": on.command hooks (the command service over SQS) are"
            + " not implemented by the cfn-hup stand-in");
      }
      hooks.add(new Hook(name, triggers, options.get("path").strip(), options.get("action"),
          options.containsKey("runas") ? options.get("runas").strip() : null));
    });
    if (hooks.isEmpty()) {
      throw new IllegalArgumentException("No valid hooks found");
    }
    return new CfnHupConfig(main, hooks);
  }

  String stack() {
    return main.get("stack");
  }

  String region() {
    return main.getOrDefault("region", "us-east-1");
  }

  /** Minutes between checks: an integer, at least 1. */
  int intervalMinutes() {
    if (!main.containsKey("interval")) {
      return DEFAULT_INTERVAL_MINUTES;
    }
    int interval;
    try {
      interval = Integer.parseInt(main.get("interval").strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid literal for int() with base 10: '" + main.get("interval") + "'");
    }
    if (interval < 1) {
      throw new IllegalArgumentException("Invalid interval (must be 1 minute or greater): " + interval);
    }
    return interval;
  }

  /** The umask, read as octal with or without a leading 0, between 0 and 0777. */
  int umask() {
    if (!main.containsKey("umask")) {
      return DEFAULT_UMASK;
    }
    int umask;
    try {
      umask = Integer.parseInt("0" + main.get("umask").strip(), 8);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid octal value specified for umask in config file: "
          + main.get("umask"));
    }
    if (umask > 0777) {
      throw new IllegalArgumentException("Octal number for umask out of range: 0" + Integer.toOctalString(umask));
    }
    return umask;
  }

  boolean verbose() {
    if (!main.containsKey("verbose")) {
      return false;
    }
    return switch (main.get("verbose").strip().toLowerCase(Locale.ROOT)) {
      case "1", "yes", "true", "on" -> true;
      case "0", "no", "false", "off" -> false;
      default -> throw new IllegalArgumentException("Not a boolean: " + main.get("verbose"));
    };
  }

  /**
   * The sections of {@code files} read in order, as Python's ConfigParser does for what cfn-hup reads: "name=value" or
   * "name: value" (names in lower case), comment lines starting with # or ;, indented lines continuing a value.
   */
  static Map<String, Map<String, String>> ini(List<Path> files) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    for (Path file : files) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      Map<String, String> section = null;
      String last = null;
      for (String line : lines) {
        if (line.isBlank() || line.startsWith("#") || line.startsWith(";")) {
          continue;
        }
        if (Character.isWhitespace(line.charAt(0)) && section != null && last != null) {
          section.put(last, section.get(last) + "\n" + line.strip());
        } else if (line.startsWith("[") && line.strip().endsWith("]")) {
          section = sections.computeIfAbsent(line.strip().substring(1, line.strip().length() - 1),
              name -> new LinkedHashMap<>());
          last = null;
        } else {
          int at = indexOfSeparator(line);
          if (section == null || at < 0) {
            throw new IllegalArgumentException("File contains parsing errors: " + file + ": " + line);
          }
          last = line.substring(0, at).strip().toLowerCase(Locale.ROOT);
          section.put(last, line.substring(at + 1).strip());
        }
      }
    }
    return sections;
  }

  private static int indexOfSeparator(String line) {
    int equals = line.indexOf('=');
    int colon = line.indexOf(':');
    if (equals < 0) {
      return colon;
    }
    return colon < 0 ? equals : Math.min(equals, colon);
  }
}
