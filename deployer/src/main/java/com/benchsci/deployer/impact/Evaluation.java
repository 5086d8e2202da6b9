package com.benchsci.deployer.impact;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One side of a change: a template with its parameter values, its intrinsic functions evaluated as far as their
 * inputs are known (Ref to parameters and pseudo parameters, Fn::Sub, Fn::Join, Fn::If with conditions that can
 * be decided, Fn::FindInMap, Fn::Select, Fn::Split, Fn::Base64). What only CloudFormation can know (a resource's id,
 * an attribute, the account id) becomes an {@link Opaque} value whose {@link Fate} says how it relates to the other
 * side; {@code AWS::NoValue} removes the key or element it stands in.
 */
final class Evaluation {

  private static final Object NO_VALUE = new Object();
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
  private static final String NO_ECHO_MASK = "****";

  private final Map<String, Object> template;
  private final Map<String, String> parameters;
  private final String region;
  private final Function<String, Fate> fates;
  private final Map<String, Boolean> conditions = new HashMap<>();

  /**
   * {@code fates}: what the change does to each resource, asked when a value refers to one (the side before the
   * change refers to resources as they are: {@code id -> Fate.KEPT}); {@code region} may be null (unknown).
   */
  Evaluation(Map<String, Object> template, Map<String, String> parameters, String region,
      Function<String, Fate> fates) {
    this.template = template;
    this.parameters = parameters;
    this.region = region;
    this.fates = fates;
  }

  /** The template before any change: every resource is what it is. */
  static Evaluation before(Map<String, Object> template, Map<String, String> parameters, String region) {
    return new Evaluation(template, parameters, region, id -> Fate.KEPT);
  }

  Map<String, Object> resources() {
    return section("Resources");
  }

  /** A resource's declaration (Type, Properties, policies, ...), or null. */
  Map<String, Object> resource(String logicalId) {
    return asMap(resources().get(logicalId));
  }

  /** Whether the resource exists on this side: TRUE, FALSE, or null when its condition cannot be decided. */
  Boolean exists(String logicalId) {
    Map<String, Object> declaration = resource(logicalId);
    if (declaration == null) {
      return false;
    }
    return declaration.get("Condition") instanceof String name ? condition(name) : Boolean.TRUE;
  }

  /** The resource's Properties with every intrinsic evaluated; empty when it declares none. */
  Map<String, Object> properties(String logicalId) {
    Map<String, Object> declaration = resource(logicalId);
    Object evaluated = declaration == null ? null : value(declaration.get("Properties"));
    return evaluated instanceof Map<?, ?> ? asMap(evaluated) : Map.of();
  }

  /** The resource's Metadata evaluated (cfn-init reads it with its intrinsics resolved), or null. */
  Object metadata(String logicalId) {
    Map<String, Object> declaration = resource(logicalId);
    return declaration == null ? null : value(declaration.get("Metadata"));
  }

  /** A named condition: TRUE, FALSE, or null when it depends on something unknown. */
  Boolean condition(String name) {
    if (!conditions.containsKey(name)) {
      conditions.put(name, null); // a condition that refers to itself stays undecided
      conditions.put(name, truth(section("Conditions").get(name)));
    }
    return conditions.get(name);
  }

  /** {@code node} with every intrinsic function evaluated. */
  Object value(Object node) {
    Object v = evaluate(node);
    return v == NO_VALUE ? null : v;
  }

  private Object evaluate(Object node) {
    if (node instanceof Map<?, ?> map) {
      if (map.size() == 1) {
        Map.Entry<?, ?> only = map.entrySet().iterator().next();
        String key = String.valueOf(only.getKey());
        if (key.equals("Ref") || key.startsWith("Fn::")) {
          return intrinsic(key, only.getValue());
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> {
        Object e = evaluate(v);
        if (e != NO_VALUE) {
          out.put(String.valueOf(k), e);
        }
      });
      return out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object element : list) {
        Object e = evaluate(element);
        if (e != NO_VALUE) {
          out.add(e);
        }
      }
      return out;
    }
    if (node instanceof String s && s.contains("{{resolve:")) {
      // Resolved by CloudFormation at deploy time; the same reference is no change to it (a new value behind the
      // reference is not noticed until the template changes).
      return Opaque.stable("dynamic reference " + s);
    }
    return node;
  }

  private Object intrinsic(String function, Object argument) {
    return switch (function) {
      case "Ref" -> ref(String.valueOf(argument));
      case "Fn::GetAtt" -> getAtt(argument);
      case "Fn::Sub" -> sub(argument);
      case "Fn::Join" -> join(argument);
      case "Fn::If" -> ifThen(argument);
      case "Fn::FindInMap" -> findInMap(argument);
      case "Fn::Select" -> select(argument);
      case "Fn::Split" -> split(argument);
      case "Fn::Base64" -> base64(evaluate(argument));
      case "Fn::GetAZs" -> Opaque.stable("Fn::GetAZs " + text(evaluate(argument)));
      default -> Opaque.open(function); // Fn::ImportValue, Fn::Cidr, ...: left to CloudFormation
    };
  }

  private Object ref(String name) {
    if (name.equals("AWS::NoValue")) {
      return NO_VALUE;
    }
    if (name.startsWith("AWS::")) {
      return pseudo(name);
    }
    Map<String, Object> declared = asMap(section("Parameters").get(name));
    if (declared != null) {
      return parameter(name, declared);
    }
    if (resources().containsKey(name)) {
      return fates.apply(name).ref(name);
    }
    return Opaque.open(name); // not declared: CloudFormation refuses the template
  }

  private Object parameter(String name, Map<String, Object> declared) {
    String type = String.valueOf(declared.get("Type"));
    Object given = parameters.containsKey(name) ? parameters.get(name) : declared.get("Default");
    if (given == null || type.startsWith("AWS::SSM::Parameter::Value")
        || (NO_ECHO_MASK.equals(given) && Boolean.parseBoolean(String.valueOf(declared.get("NoEcho"))))) {
      return Opaque.open(name);
    }
    String text = String.valueOf(given);
    if (type.equals("CommaDelimitedList") || type.startsWith("List<")) {
      return List.of(text.split(",", -1)).stream().map(String::trim).map(s -> (Object) s).toList();
    }
    return text;
  }

  /** The partition and URL suffix follow from the region; the rest are the same on both sides of a change. */
  private Object pseudo(String name) {
    if (region != null) {
      boolean china = region.startsWith("cn-");
      switch (name) {
        case "AWS::Region":
          return region;
        case "AWS::Partition":
          return china ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        case "AWS::URLSuffix":
          return china ? "amazonaws.com.cn" : "amazonaws.com";
        default:
          break;
      }
    }
    return Opaque.stable(name);
  }

  private Object getAtt(Object argument) {
    List<?> parts = argument instanceof List<?> l ? l : List.of(String.valueOf(argument).split("\\.", 2));
    if (parts.size() != 2) {
      return Opaque.open("Fn::GetAtt " + argument);
    }
    String resource = String.valueOf(parts.get(0));
    Object attribute = evaluate(parts.get(1));
    return fates.apply(resource).attribute(resource, String.valueOf(attribute));
  }

  private Object sub(Object argument) {
    String body;
    Map<String, Object> variables = new HashMap<>();
    if (argument instanceof List<?> l && l.size() == 2) {
      body = String.valueOf(l.get(0));
      Map<String, Object> given = asMap(l.get(1));
      if (given != null) {
        given.forEach((k, v) -> variables.put(k, evaluate(v)));
      }
    } else {
      body = String.valueOf(argument);
    }
    Matcher m = SUB_VARIABLE.matcher(body);
    List<Object> parts = new ArrayList<>();
    int last = 0;
    while (m.find()) {
      parts.add(body.substring(last, m.start()));
      String name = m.group(1);
      if (name.startsWith("!")) {
        parts.add("${" + name.substring(1) + "}"); // ${!Literal} is written out as ${Literal}
      } else if (variables.containsKey(name)) {
        parts.add(variables.get(name));
      } else if (name.contains(".") && !name.startsWith("AWS::")) {
        parts.add(getAtt(name));
      } else {
        parts.add(ref(name));
      }
      last = m.end();
    }
    parts.add(body.substring(last));
    return concatenate(parts, "");
  }

  private Object join(Object argument) {
    if (!(argument instanceof List<?> l) || l.size() != 2) {
      return Opaque.open("Fn::Join " + argument);
    }
    Object elements = evaluate(l.get(1));
    String delimiter = String.valueOf(l.get(0));
    if (!(elements instanceof List<?> list)) {
      return elements instanceof Opaque o ? new Opaque("Fn::Join(" + delimiter + ", " + o.text() + ")", o.kind())
          : Opaque.open("Fn::Join " + argument);
    }
    return concatenate(new ArrayList<>(list), delimiter);
  }

  /** Known parts as text; any opaque part makes the whole opaque, with its placeholders kept in place. */
  private static Object concatenate(List<?> parts, String delimiter) {
    StringBuilder text = new StringBuilder();
    Opaque.Kind kind = null;
    for (int i = 0; i < parts.size(); i++) {
      Object part = parts.get(i);
      text.append(i == 0 ? "" : delimiter);
      if (part instanceof Opaque o) {
        text.append(o.text());
        kind = kind == null ? o.kind() : kind.worst(o.kind());
      } else if (part instanceof Map || part instanceof List || part == NO_VALUE) {
        text.append("${").append(part == NO_VALUE ? "AWS::NoValue" : String.valueOf(part)).append('}');
        kind = Opaque.Kind.OPEN;
      } else {
        text.append(part);
      }
    }
    return kind == null ? text.toString() : new Opaque(text.toString(), kind);
  }

  private Object ifThen(Object argument) {
    if (!(argument instanceof List<?> l) || l.size() != 3) {
      return Opaque.open("Fn::If " + argument);
    }
    Boolean decided = condition(String.valueOf(l.get(0)));
    if (decided != null) {
      return evaluate(decided ? l.get(1) : l.get(2));
    }
    Object whenTrue = evaluate(l.get(1));
    Object whenFalse = evaluate(l.get(2));
    if (whenTrue != NO_VALUE && whenFalse != NO_VALUE && Comparison.of(whenTrue, whenFalse) == Comparison.SAME) {
      return whenTrue;
    }
    return Opaque.open("Fn::If " + l.get(0));
  }

  private Object findInMap(Object argument) {
    if (!(argument instanceof List<?> l) || l.size() < 3) {
      return Opaque.open("Fn::FindInMap " + argument);
    }
    List<Object> keys = new ArrayList<>();
    for (Object key : l.subList(0, 3)) {
      keys.add(evaluate(key));
    }
    if (keys.stream().anyMatch(k -> k instanceof Opaque || k instanceof Map || k instanceof List)) {
      Opaque.Kind kind = keys.stream().filter(k -> k instanceof Opaque).map(k -> ((Opaque) k).kind())
          .reduce(Opaque.Kind.STABLE, Opaque.Kind::worst);
      return new Opaque("Fn::FindInMap(" + keys.stream().map(Evaluation::text).toList() + ")", kind);
    }
    Map<String, Object> map = asMap(section("Mappings").get(String.valueOf(keys.get(0))));
    Map<String, Object> top = map == null ? null : asMap(map.get(String.valueOf(keys.get(1))));
    Object found = top == null ? null : top.get(String.valueOf(keys.get(2)));
    if (found == null && l.size() == 4 && asMap(l.get(3)) != null) {
      return evaluate(asMap(l.get(3)).get("DefaultValue")); // AWS::LanguageExtensions' default form
    }
    return found == null ? Opaque.open("Fn::FindInMap " + keys) : evaluate(found);
  }

  private Object select(Object argument) {
    if (!(argument instanceof List<?> l) || l.size() != 2) {
      return Opaque.open("Fn::Select " + argument);
    }
    Object index = evaluate(l.get(0));
    Object list = evaluate(l.get(1));
    if (list instanceof List<?> known && !(index instanceof Opaque)) {
      int i = Integer.parseInt(String.valueOf(index));
      return i >= 0 && i < known.size() ? known.get(i) : Opaque.open("Fn::Select " + argument);
    }
    Opaque.Kind kind = list instanceof Opaque o ? o.kind() : Opaque.Kind.OPEN;
    return new Opaque("Fn::Select(" + text(index) + ", " + text(list) + ")",
        index instanceof Opaque o ? kind.worst(o.kind()) : kind);
  }

  private Object split(Object argument) {
    if (!(argument instanceof List<?> l) || l.size() != 2) {
      return Opaque.open("Fn::Split " + argument);
    }
    Object source = evaluate(l.get(1));
    String delimiter = String.valueOf(l.get(0));
    if (source instanceof Opaque o) {
      return new Opaque("Fn::Split(" + delimiter + ", " + o.text() + ")", o.kind());
    }
    return List.of(String.valueOf(source).split(Pattern.quote(delimiter), -1)).stream().map(s -> (Object) s)
        .toList();
  }

  private static Object base64(Object value) {
    if (value instanceof Opaque o) {
      return new Opaque("Fn::Base64(" + o.text() + ")", o.kind());
    }
    return Base64.getEncoder().encodeToString(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
  }

  /** A condition expression: TRUE, FALSE or null (undecided). */
  private Boolean truth(Object node) {
    if (!(node instanceof Map<?, ?> map) || map.size() != 1) {
      return node instanceof Boolean b ? b : null;
    }
    Map.Entry<?, ?> only = map.entrySet().iterator().next();
    List<?> args = only.getValue() instanceof List<?> l ? l : List.of(only.getValue());
    switch (String.valueOf(only.getKey())) {
      case "Condition":
        return condition(String.valueOf(only.getValue()));
      case "Fn::Equals": {
        if (args.size() != 2) {
          return null;
        }
        Comparison c = Comparison.of(evaluate(args.get(0)), evaluate(args.get(1)));
        return c == Comparison.UNKNOWN ? null : c == Comparison.SAME;
      }
      case "Fn::Not": {
        Boolean inner = args.isEmpty() ? null : truth(args.get(0));
        return inner == null ? null : !inner;
      }
      case "Fn::And":
        return combine(args, false);
      case "Fn::Or":
        return combine(args, true);
      default:
        return null;
    }
  }

  /** And ({@code decisive=false}) or Or ({@code decisive=true}): one decisive operand decides. */
  private Boolean combine(List<?> operands, boolean decisive) {
    boolean undecided = false;
    for (Object operand : operands) {
      Boolean t = truth(operand);
      if (t == null) {
        undecided = true;
      } else if (t == decisive) {
        return decisive;
      }
    }
    return undecided ? null : !decisive;
  }

  private static String text(Object value) {
    return value instanceof Opaque o ? o.text() : String.valueOf(value);
  }

  private Map<String, Object> section(String name) {
    Map<String, Object> s = asMap(template.get(name));
    return s == null ? Map.of() : s;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }
}
