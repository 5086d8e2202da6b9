package com.benchsci.deployer.impact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * CloudFormation's resource schemas (the registry's, as {@code DescribeType} returns them) for one region, read
 * from the copy cfn-lint ships: {@code data/schemas/providers/<region>.py} maps each type to a file under
 * {@code data/schemas/resources/}. A schema's {@code createOnlyProperties} are the properties whose change replaces
 * the resource; {@code conditionalCreateOnlyProperties} those whose change may.
 */
public final class ResourceSchemas {

  private static final Pattern TYPE_TO_FILE = Pattern.compile("\"([A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)\": \"([0-9a-f]+)\"");

  private final Path resources;
  private final String region;
  private final Map<String, String> files;
  private final Map<String, Map<String, Object>> loaded = new ConcurrentHashMap<>();

  private ResourceSchemas(Path resources, String region, Map<String, String> files) {
    this.resources = resources;
    this.region = region;
    this.files = files;
  }

  /** The schemas of {@code region} in the cfn-lint package folder {@code cfnLintPackage} ({@code .../cfnlint}). */
  public static ResourceSchemas of(Path cfnLintPackage, String region) {
    Path schemas = cfnLintPackage.resolve("data/schemas");
    Path index = schemas.resolve("providers").resolve(region.replace('-', '_') + ".py");
    String text;
    try {
      text = Files.readString(index, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("no resource schemas for region " + region + " in cfn-lint (" + index + ")", e);
    }
    Map<String, String> files = new HashMap<>();
    Matcher m = TYPE_TO_FILE.matcher(text);
    while (m.find()) {
      files.put(m.group(1), m.group(2) + ".json");
    }
    if (files.isEmpty()) {
      throw new IllegalStateException(index + " maps no resource type to a schema file: not the layout of the"
          + " pinned cfn-lint");
    }
    return new ResourceSchemas(schemas.resolve("resources"), region, files);
  }

  public String region() {
    return region;
  }

  public boolean knows(String type) {
    return files.containsKey(type);
  }

  /** Create-only properties as paths below {@code Properties} ({@code [NetworkInterfaces]}, {@code [A, *, B]}). */
  List<List<String>> createOnly(String type) {
    return pointers(type, "createOnlyProperties");
  }

  List<List<String>> conditionalCreateOnly(String type) {
    return pointers(type, "conditionalCreateOnlyProperties");
  }

  /** The whole schema of {@code type}, as maps and lists. */
  Map<String, Object> schema(String type) {
    String file = files.get(type);
    if (file == null) {
      throw new IllegalArgumentException("no resource schema for " + type + " in region " + region);
    }
    return loaded.computeIfAbsent(type, t -> {
      try {
        Object tree = new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(Files.readString(resources.resolve(file), StandardCharsets.UTF_8));
        return Evaluation.asMap(tree);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the resource schema of " + t + " (" + resources.resolve(file)
            + ")", e);
      }
    });
  }

  private List<List<String>> pointers(String type, String key) {
    if (!knows(type)) {
      return List.of();
    }
    Object listed = schema(type).get(key);
    if (!(listed instanceof List<?> list)) {
      return List.of();
    }
    return list.stream().map(String::valueOf).filter(p -> p.startsWith("/properties/"))
        .map(p -> List.of(p.substring("/properties/".length()).split("/"))).toList();
  }

  /**
   * Whether a change at {@code path} (below Properties) touches one of {@code pointers}: the path lies under a
   * pointer, or holds one (a whole list that changed holds its elements). {@code *} matches any element.
   */
  static boolean covers(List<List<String>> pointers, List<Object> path) {
    for (List<String> pointer : pointers) {
      if (matches(pointer, path, Math.min(pointer.size(), path.size()))) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(List<String> pointer, List<Object> path, int length) {
    for (int i = 0; i < length; i++) {
      if (!pointer.get(i).equals("*") && !pointer.get(i).equals(String.valueOf(path.get(i)))) {
        return false;
      }
    }
    return true;
  }
}
