package com.benchsci.deployer.template;

import com.benchsci.deployer.core.DeployException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A parameter file in the AWS CLI format ({@code [{"ParameterKey": "..", "ParameterValue": ".."}]}), so the same
 * file works with {@code aws cloudformation create-change-set --parameters file://...}. Every value is checked here
 * against its declaration in the template, so a bad value is refused before any AWS call.
 */
public final class ParameterFile {

  private ParameterFile() {}

  /**
   * The file's parameters. The file must exist ({@code []} for none); every key must be a parameter of
   * {@code template} and every value meet that parameter's constraints.
   */
  public static Map<String, String> read(Path file, Template template) {
    Map<String, String> values = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      throw new DeployException("parameter file not found: " + file + " (every environment has one; [] for no"
          + " parameters): nothing was sent to AWS");
    }
    Object parsed;
    try {
      parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new DeployException("cannot read parameter file " + file + ": " + e.getMessage(), e);
    } catch (YAMLException e) {
      throw Template.invalidYaml(file, e);
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
      String value = String.valueOf(m.get("ParameterValue"));
      String broken = violation(value, template.parameters().get(key));
      if (broken != null) {
        throw new DeployException(file + ": parameter " + key + " = \"" + value + "\" " + broken + " (declared in "
            + template.file().getFileName() + "): nothing was sent to AWS");
      }
      values.put(key, value);
    }
    return values;
  }

  /**
   * The constraint {@code value} breaks, or null. CloudFormation applies these to String and Number parameters
   * (AllowedPattern must match the whole value); other types are left to CloudFormation.
   */
  static String violation(String value, Map<String, Object> declaration) {
    String type = String.valueOf(declaration.get("Type"));
    if (!type.equals("String") && !type.equals("Number")) {
      return null;
    }
    Object allowed = declaration.get("AllowedValues");
    if (allowed instanceof List<?> list && list.stream().map(String::valueOf).noneMatch(value::equals)) {
      return "is not one of AllowedValues " + list;
    }
    if (type.equals("Number")) {
      BigDecimal number;
      try {
        number = new BigDecimal(value.trim());
      } catch (NumberFormatException e) {
        return "is not a Number";
      }
      if (declaration.get("MinValue") != null && number.compareTo(decimal(declaration.get("MinValue"))) < 0) {
        return "is below MinValue " + declaration.get("MinValue");
      }
      if (declaration.get("MaxValue") != null && number.compareTo(decimal(declaration.get("MaxValue"))) > 0) {
        return "is above MaxValue " + declaration.get("MaxValue");
      }
      return null;
    }
    Object pattern = declaration.get("AllowedPattern");
    if (pattern != null && !Pattern.compile(String.valueOf(pattern)).matcher(value).matches()) {
      return "does not match AllowedPattern " + pattern;
    }
    if (declaration.get("MinLength") != null && value.length() < decimal(declaration.get("MinLength")).intValue()) {
      return "is shorter than MinLength " + declaration.get("MinLength");
    }
    if (declaration.get("MaxLength") != null && value.length() > decimal(declaration.get("MaxLength")).intValue()) {
      return "is longer than MaxLength " + declaration.get("MaxLength");
    }
    return null;
  }

  private static BigDecimal decimal(Object number) {
    return new BigDecimal(String.valueOf(number).trim());
  }
}
