package com.benchsci.infra.host;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the intrinsic functions of a template's host content (cfn-init metadata, UserData) the way CloudFormation
 * would, with fixed stand-ins for what only a real stack knows: the pseudo parameters in {@link #PSEUDO}, the
 * parameters the deployer sets in {@link #DEPLOYER_PARAMETERS}, every other parameter at its Default, and
 * {@code stub-<LogicalId>} for a resource's Ref. Only Ref, Fn::Sub, Fn::Join and Fn::Base64 are evaluated; any other
 * function is refused, naming where it is, so host content cannot depend on one this test never checked.
 */
final class StubIntrinsics {

  static final Map<String, String> PSEUDO = Map.of(
      "AWS::StackName", "hello-host",
      "AWS::StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/hello-host/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
      "AWS::Region", "us-east-1",
      "AWS::AccountId", "123456789012",
      "AWS::Partition", "aws",
      "AWS::URLSuffix", "amazonaws.com");
  static final Map<String, String> DEPLOYER_PARAMETERS = Map.of(
      "ArtifactBucket", "hello-host-artifacts-123456789012",
      "ArtifactKey", "vertx-app/host-boot-test.jar");

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

  private final Map<String, Object> parameters;
  private final Map<String, Object> resources;

  @SuppressWarnings("unchecked")
  StubIntrinsics(Map<String, Object> template) {
    this.parameters = (Map<String, Object>) template.getOrDefault("Parameters", Map.of());
    this.resources = (Map<String, Object>) template.getOrDefault("Resources", Map.of());
  }

  /** {@code node} with every intrinsic function replaced by its value; {@code where} names it in errors. */
  Object evaluate(Object node, String where) {
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        out.add(evaluate(list.get(i), where + "[" + i + "]"));
      }
      return out;
    }
    if (!(node instanceof Map<?, ?> map)) {
      return node;
    }
    if (map.size() == 1) {
      String key = String.valueOf(map.keySet().iterator().next());
      Object argument = map.values().iterator().next();
      if (key.equals("Ref")) {
        return ref(String.valueOf(argument), where);
      }
      if (key.startsWith("Fn::") || key.equals("Condition")) {
        return function(key, argument, where + "." + key);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), evaluate(v, where + "." + k)));
    return out;
  }

  /** Evaluates {@code node} and requires a string, for content, commands and scripts. */
  String string(Object node, String where) {
    Object value = evaluate(node, where);
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException(where + ": expected a string, found " + value);
    }
    return text;
  }

  private Object function(String name, Object argument, String where) {
    switch (name) {
      case "Fn::Sub": {
        if (argument instanceof String text) {
          return substitute(text, Map.of(), where);
        }
        if (argument instanceof List<?> pair && pair.size() == 2 && pair.get(1) instanceof Map<?, ?> variables) {
          Map<String, String> values = new LinkedHashMap<>();
          variables.forEach((k, v) -> values.put(String.valueOf(k), string(v, where + "." + k)));
          return substitute(string(pair.get(0), where + "[0]"), values, where);
        }
        throw new IllegalArgumentException(where + ": expected a string or [string, {variables}]");
      }
      case "Fn::Join": {
        if (argument instanceof List<?> pair && pair.size() == 2 && pair.get(1) instanceof List<?>) {
          List<?> parts = (List<?>) evaluate(pair.get(1), where + "[1]");
          List<String> strings = new ArrayList<>();
          parts.forEach(p -> strings.add(String.valueOf(p)));
          return String.join(String.valueOf(pair.get(0)), strings);
        }
        throw new IllegalArgumentException(where + ": expected [delimiter, [values]]");
      }
      case "Fn::Base64":
        return Base64.getEncoder().encodeToString(string(argument, where).getBytes(StandardCharsets.UTF_8));
      default:
        throw new IllegalArgumentException(where + ": " + name + " is not evaluated by the host boot test (it knows Ref,"
            + " Fn::Sub, Fn::Join, Fn::Base64); keep host content to those or teach StubIntrinsics the new one");
    }
  }

  private String substitute(String text, Map<String, String> variables, String where) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value;
      if (name.startsWith("!")) {
        value = "${" + name.substring(1) + "}"; // ${!Literal} is the escape for a literal ${Literal}
      } else if (variables.containsKey(name)) {
        value = variables.get(name);
      } else if (name.contains(".") && !name.startsWith("AWS::")) {
        throw new IllegalArgumentException(where + ": ${" + name + "} is a Fn::GetAtt, which the host boot test does"
            + " not evaluate");
      } else {
        value = ref(name, where);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String ref(String name, String where) {
    if (PSEUDO.containsKey(name)) {
      return PSEUDO.get(name);
    }
    if (DEPLOYER_PARAMETERS.containsKey(name)) {
      return DEPLOYER_PARAMETERS.get(name);
    }
    if (parameters.get(name) instanceof Map<?, ?> parameter) {
      Object fallback = parameter.get("Default");
      if (fallback == null) {
        throw new IllegalArgumentException(where + ": parameter " + name + " has no Default and no stand-in value");
      }
      return String.valueOf(fallback);
    }
    if (resources.containsKey(name)) {
      return "stub-" + name;
    }
    throw new IllegalArgumentException(where + ": Ref to " + name + ", which is no parameter, resource or known"
        + " pseudo parameter");
  }
}
