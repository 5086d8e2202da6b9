package com.benchsci.hostharness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the intrinsic functions of a template's host content (cfn-init metadata, UserData) the way CloudFormation
 * does when it serves a resource's Metadata: Ref (parameters, pseudo parameters, resources, AWS::NoValue), Fn::Sub,
 * Fn::Join, Fn::Base64, Fn::If with the template's Conditions (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition) and
 * Fn::FindInMap. Any other function is refused, naming where it is, so host content cannot depend on one this harness
 * never evaluated.
 *
 * <p>Two sources of values: {@link #of} takes a deployed stack's real ones (what the CloudFormation stand-in reads from
 * the emulator); {@link #stub} takes fixed stand-ins for a template that was never deployed: the pseudo parameters in
 * {@link #STUB_PSEUDO}, the deployer's parameters in {@link #STUB_DEPLOYER_PARAMETERS}, every other parameter at its
 * Default, and {@code stub-<LogicalId>} for a resource's Ref.
 */
public final class Intrinsics {

  /** What only a deployed stack knows: pseudo parameters, parameter values, resources' physical ids. */
  public record StackValues(Map<String, String> pseudo, Map<String, String> parameters,
      Map<String, String> physicalIds) {}

  public static final Map<String, String> STUB_PSEUDO = Map.of(
      "AWS::StackName", "hello-host",
      "AWS::StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/hello-host/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
      "AWS::Region", "us-east-1",
      "AWS::AccountId", "123456789012",
      "AWS::Partition", "aws",
      "AWS::URLSuffix", "amazonaws.com");
  public static final Map<String, String> STUB_DEPLOYER_PARAMETERS = Map.of(
      "ArtifactBucket", "hello-host-artifacts-123456789012",
      "ArtifactKey", "vertx-app/host-boot-test.jar");

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
  /** Ref AWS::NoValue: removes the property (or list element) it is the value of. */
  private static final Object NO_VALUE = new Object();

  private final Map<String, Object> conditions;
  private final Map<String, Object> mappings;
  /** Resolves a Ref (name, where) to its value. */
  private final BiFunction<String, String, String> refs;

  @SuppressWarnings("unchecked")
  private Intrinsics(Map<String, Object> template, BiFunction<String, String, String> refs) {
    this.conditions = (Map<String, Object>) template.getOrDefault("Conditions", Map.of());
    this.mappings = (Map<String, Object>) template.getOrDefault("Mappings", Map.of());
    this.refs = refs;
  }

  /** With the real values of a deployed stack. */
  public static Intrinsics of(Map<String, Object> template, StackValues stack) {
    Map<String, Object> resources = section(template, "Resources");
    return new Intrinsics(template, (name, where) -> {
      String value = stack.pseudo().containsKey(name) ? stack.pseudo().get(name)
          : stack.parameters().containsKey(name) ? stack.parameters().get(name)
          : resources.containsKey(name) ? stack.physicalIds().get(name) : null;
      if (value == null) {
        throw new IllegalArgumentException(where + ": Ref to " + name + ", which the stack has no value for");
      }
      return value;
    });
  }

  /** With the stand-in values described above. */
  public static Intrinsics stub(Map<String, Object> template) {
    Map<String, Object> parameters = section(template, "Parameters");
    Map<String, Object> resources = section(template, "Resources");
    return new Intrinsics(template, (name, where) -> {
      if (STUB_PSEUDO.containsKey(name)) {
        return STUB_PSEUDO.get(name);
      }
      if (STUB_DEPLOYER_PARAMETERS.containsKey(name)) {
        return STUB_DEPLOYER_PARAMETERS.get(name);
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
    });
  }

  /** {@code node} with every intrinsic function replaced by its value; {@code where} names it in errors. */
  public Object evaluate(Object node, String where) {
    Object value = value(node, where);
    return value == NO_VALUE ? null : value;
  }

  /** Evaluates {@code node} and requires a string, for content, commands and scripts. */
  public String string(Object node, String where) {
    Object value = evaluate(node, where);
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException(where + ": expected a string, found " + value);
    }
    return text;
  }

  private Object value(Object node, String where) {
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        Object element = value(list.get(i), where + "[" + i + "]");
        if (element != NO_VALUE) {
          out.add(element);
        }
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
        return argument.equals("AWS::NoValue") ? NO_VALUE : refs.apply(String.valueOf(argument), where);
      }
      if (key.startsWith("Fn::")) {
        return function(key, argument, where + "." + key);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      Object element = value(v, where + "." + k);
      if (element != NO_VALUE) {
        out.put(String.valueOf(k), element);
      }
    });
    return out;
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
          List<String> strings = new ArrayList<>();
          ((List<?>) value(pair.get(1), where + "[1]")).forEach(p -> strings.add(String.valueOf(p)));
          return String.join(String.valueOf(pair.get(0)), strings);
        }
        throw new IllegalArgumentException(where + ": expected [delimiter, [values]]");
      }
      case "Fn::Base64":
        return Base64.getEncoder().encodeToString(string(argument, where).getBytes(StandardCharsets.UTF_8));
      case "Fn::If": {
        List<?> args = arguments(argument, 3, where, "[condition, value if true, value if false]");
        return value(condition(String.valueOf(args.get(0)), where) ? args.get(1) : args.get(2), where);
      }
      case "Fn::FindInMap": {
        List<?> args = arguments(argument, 3, where, "[map, top-level key, second-level key]");
        String map = string(args.get(0), where + "[0]");
        String top = string(args.get(1), where + "[1]");
        String second = string(args.get(2), where + "[2]");
        if (!(mappings.get(map) instanceof Map<?, ?> keys) || !(keys.get(top) instanceof Map<?, ?> values)
            || !values.containsKey(second)) {
          throw new IllegalArgumentException(where + ": Mappings has no " + map + "." + top + "." + second);
        }
        return value(values.get(second), where);
      }
      default:
        throw new IllegalArgumentException(where + ": " + name + " is not evaluated by the host harness (it knows Ref,"
            + " Fn::Sub, Fn::Join, Fn::Base64, Fn::If, Fn::FindInMap); keep host content to those or teach"
            + " Intrinsics the new one");
    }
  }

  /** The named condition of the template's Conditions section, evaluated. */
  private boolean condition(String name, String where) {
    if (!conditions.containsKey(name)) {
      throw new IllegalArgumentException(where + ": condition " + name + " is not in the template's Conditions");
    }
    return truth(conditions.get(name), "Conditions." + name);
  }

  private boolean truth(Object node, String where) {
    if (node instanceof Map<?, ?> map && map.size() == 1) {
      String key = String.valueOf(map.keySet().iterator().next());
      Object argument = map.values().iterator().next();
      switch (key) {
        case "Condition":
          return condition(String.valueOf(argument), where);
        case "Fn::Equals": {
          List<?> args = arguments(argument, 2, where + ".Fn::Equals", "[value, value]");
          return String.valueOf(evaluate(args.get(0), where)).equals(String.valueOf(evaluate(args.get(1), where)));
        }
        case "Fn::Not":
          return !truth(arguments(argument, 1, where + ".Fn::Not", "[condition]").get(0), where);
        case "Fn::And":
          return ((List<?>) argument).stream().allMatch(c -> truth(c, where + ".Fn::And"));
        case "Fn::Or":
          return ((List<?>) argument).stream().anyMatch(c -> truth(c, where + ".Fn::Or"));
        default:
          break;
      }
    }
    throw new IllegalArgumentException(where + ": not a condition (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition): "
        + node);
  }

  private static List<?> arguments(Object argument, int count, String where, String shape) {
    if (!(argument instanceof List<?> list) || list.size() != count) {
      throw new IllegalArgumentException(where + ": expected " + shape + ", found " + argument);
    }
    return list;
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
        throw new IllegalArgumentException(where + ": ${" + name + "} is a Fn::GetAtt, which the host harness does"
            + " not evaluate");
      } else {
        value = refs.apply(name, where);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> template, String name) {
    return (Map<String, Object>) template.getOrDefault(name, Map.of());
  }
}
