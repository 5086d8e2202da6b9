package com.benchsci.deployer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A parameter file in the AWS CLI format ({@code [{"ParameterKey": "..", "ParameterValue": ".."}]}), so the same
 * file works with {@code aws cloudformation create-change-set --parameters file://...}.
 */
final class ParameterFile {

  private ParameterFile() {}

  /** The file's parameters; an absent file means none. Every key must be a parameter of {@code template}. */
  static Map<String, String> read(Path file, Template template) {
    Map<String, String> values = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return values;
    }
    Object parsed;
    try {
      parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | YAMLException e) {
      throw new DeployException("cannot read parameter file " + file + ": " + e.getMessage().lines().findFirst()
          .orElse(""), e);
    }
    if (!(parsed instanceof List<?> entries)) {
      throw new DeployException("parameter file " + file
          + " must be a JSON list of {\"ParameterKey\": .., \"ParameterValue\": ..}");
    }
    Set<String> declared = template.parameterNames();
    for (Object entry : entries) {
      if (!(entry instanceof Map<?, ?> m) || !(m.get("ParameterKey") instanceof String key)
          || m.get("ParameterValue") == null) {
        throw new DeployException("parameter file " + file + " has an entry without ParameterKey/ParameterValue: "
            + entry);
      }
      if (!declared.contains(key)) {
        throw new DeployException("unknown parameter " + key + " in " + file + ": " + template.file().getFileName()
            + " declares " + new TreeSet<>(declared));
      }
      values.put(key, String.valueOf(m.get("ParameterValue")));
    }
    return values;
  }
}
