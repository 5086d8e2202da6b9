package com.benchsci.deployer.impact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The corpus: single changes of a template, generated from the template itself so it grows with it. For every
 * property every resource sets, one mutation changes that property to another valid value (one leaf inside it,
 * checked against the resource schema's enum, pattern and bounds where it has them, and shown by evaluation to
 * really change the value); then for every resource a copy of it added, and each resource nothing else refers to
 * removed.
 */
final class Mutations {

  enum Kind { PROPERTY, ADD, REMOVE }

  /**
   * {@code resource} and {@code property} say what was changed; {@code change} how; {@code template} is the whole
   * mutated template (long-form intrinsics).
   */
  record Mutation(Kind kind, String resource, String type, String property, String change,
      Map<String, Object> template) {

    String name() {
      return kind + " " + resource + (property == null ? "" : "." + property) + " (" + change + ")";
    }
  }

  /**
   * Valid values the resource schema does not enumerate, from the Template Reference page: EIP Domain is "vpc |
   * standard" (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-eip.html).
   */
  private static final Map<String, String> DOCUMENTED_ALTERNATIVE = Map.of("AWS::EC2::EIP Domain/vpc", "standard");
  private static final Pattern CIDR = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)/(\\d+)");

  private final Map<String, Object> template;
  private final Map<String, String> parameters;
  private final ResourceSchemas schemas;

  private Mutations(Map<String, Object> template, Map<String, String> parameters, ResourceSchemas schemas) {
    this.template = template;
    this.parameters = parameters;
    this.schemas = schemas;
  }

  /**
   * All mutations of {@code template}; {@code unmutable} collects every property no valid change was found for
   * (the corpus test fails on any, so a new property cannot slip through untested).
   */
  static List<Mutation> of(Map<String, Object> template, Map<String, String> parameters, ResourceSchemas schemas,
      List<String> unmutable) {
    Mutations m = new Mutations(template, parameters, schemas);
    List<Mutation> all = new ArrayList<>();
    Map<String, Object> resources = section(template, "Resources");
    for (String id : resources.keySet()) {
      Map<String, Object> properties = section(Evaluation.asMap(resources.get(id)), "Properties");
      for (String property : properties.keySet()) {
        Mutation found = m.property(id, property);
        if (found == null) {
          unmutable.add(id + "." + property);
        } else {
          all.add(found);
        }
      }
    }
    for (String id : resources.keySet()) {
      all.add(m.added(id));
    }
    for (String id : resources.keySet()) {
      if (!m.referredToByOthers(id)) {
        all.add(m.removed(id));
      }
    }
    return all;
  }

  /** One candidate change of a template: the mutated copy and what it did. */
  private record Candidate(Map<String, Object> template, String change) {}

  private Mutation property(String id, String property) {
    String type = typeOf(id);
    Object value = propertiesOf(template, id).get(property);
    Evaluation before = Evaluation.before(template, parameters, Stacks.REGION);
    Object evaluatedBefore = before.properties(id).get(property);
    for (Leaf leaf : leaves(List.of(), value)) {
      for (Candidate c : candidates(id, type, property, leaf)) {
        Object evaluatedAfter = new Evaluation(c.template(), parameters, Stacks.REGION, fates(template))
            .properties(id).get(property);
        if (Comparison.of(evaluatedBefore, evaluatedAfter) != Comparison.SAME) {
          return new Mutation(Kind.PROPERTY, id, type, property, c.change(), c.template());
        }
      }
    }
    return null;
  }

  /** For a mutated template: the resources it adds are new, all others kept. */
  static Function<String, Fate> fates(Map<String, Object> original) {
    return id -> section(original, "Resources").containsKey(id) ? Fate.KEPT : Fate.ADDED;
  }

  /** A place inside a property's value that can take another value: a scalar, or an intrinsic as a whole. */
  private record Leaf(List<Object> path, Object node, int preference) {}

  /** Leaves, the most telling kinds of change first: descriptions, tag values, statement ids, flags, numbers... */
  private List<Leaf> leaves(List<Object> path, Object node) {
    List<Leaf> out = new ArrayList<>();
    collect(path, node, out);
    out.sort((a, b) -> Integer.compare(a.preference(), b.preference()));
    return out;
  }

  private void collect(List<Object> path, Object node, List<Leaf> out) {
    Object key = path.isEmpty() ? "" : path.get(path.size() - 1);
    if (node instanceof Map<?, ?> map && map.size() == 1 && isIntrinsic(map)) {
      String function = String.valueOf(map.keySet().iterator().next());
      Object argument = map.values().iterator().next();
      switch (function) {
        case "Fn::If" -> {
          collect(append(path, function, 1), ((List<?>) argument).get(1), out);
          collect(append(path, function, 2), ((List<?>) argument).get(2), out);
        }
        case "Fn::Select" -> collect(append(path, function, 0), ((List<?>) argument).get(0), out);
        case "Fn::Base64" -> collect(append(path, function), argument, out);
        case "Fn::Join" -> {
          List<?> parts = (List<?>) ((List<?>) argument).get(1);
          for (int i = 0; i < parts.size(); i++) {
            collect(append(path, function, 1, i), parts.get(i), out);
          }
        }
        default -> out.add(new Leaf(path, node, preference(key, node)));
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      if (key.equals(0) && path.size() >= 2 && path.get(path.size() - 2).equals("Statement") && !map.containsKey("Sid")) {
        out.add(new Leaf(append(path, "Sid"), null, 2)); // a statement id can be added to any statement
      }
      map.forEach((k, v) -> collect(append(path, k), v, out));
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        collect(append(path, i), list.get(i), out);
      }
    } else {
      out.add(new Leaf(path, node, preference(key, node)));
    }
  }

  private static int preference(Object key, Object node) {
    if (key.equals("Description")) {
      return 0;
    }
    if (key.equals("Value")) {
      return 1;
    }
    if (key.equals("Sid")) {
      return 2;
    }
    if (node instanceof Boolean) {
      return 3;
    }
    if (node instanceof Number && !String.valueOf(key).endsWith("Port")) {
      return 4;
    }
    return node instanceof Map ? 6 : 5;
  }

  /** The valid changes of one leaf, most plausible first. */
  private List<Candidate> candidates(String id, String type, String property, Leaf leaf) {
    List<Candidate> out = new ArrayList<>();
    List<Object> path = prepend(property, leaf.path());
    Map<String, Object> schema = schemaAt(type, path);
    Object node = leaf.node();
    if (node == null) {
      out.add(replace(id, path, "ChangedStatement", "statement id added"));
    } else if (node instanceof Boolean b) {
      out.add(replace(id, path, !b, b + " -> " + !b));
    } else if (node instanceof Number n) {
      long next = n.longValue() + 1;
      if (schema.get("maximum") == null || next <= ((Number) schema.get("maximum")).longValue()) {
        out.add(replace(id, path, (int) next, n + " -> " + next));
      }
    } else if (node instanceof String s) {
      List<String> taken = siblings(id, path);
      for (String changed : changedStrings(type, path, s, schema, leaf.path())) {
        if (taken.contains(changed)) {
          continue; // a list of unique items (Actions, TargetOperations) takes each value once
        }
        out.add(replace(id, path, changed, s + " -> " + changed));
      }
    } else if (node instanceof Map<?, ?> intrinsic) {
      out.addAll(intrinsicChanges(id, path, intrinsic));
    }
    return out;
  }

  private List<String> changedStrings(String type, List<Object> path, String s, Map<String, Object> schema,
      List<Object> leafPath) {
    List<String> changed = new ArrayList<>();
    if (schema.get("enum") instanceof List<?> allowed) {
      allowed.stream().map(String::valueOf).filter(v -> !v.equals(s)).forEach(changed::add);
      return changed;
    }
    if (leafPath.size() > 0 && leafPath.get(leafPath.size() - 1).equals("Sid")) {
      changed.add(s + "Changed"); // statement ids are letters and digits
    }
    String documented = DOCUMENTED_ALTERNATIVE.get(type + " " + path.get(0) + "/" + s);
    if (documented != null) {
      changed.add(documented);
    }
    changed.addAll(changedScalar(s));
    Pattern pattern = schema.get("pattern") == null ? null : ecmaPattern(String.valueOf(schema.get("pattern")));
    return changed.stream().filter(c -> pattern == null || pattern.matcher(c).find()).toList();
  }

  /**
   * A schema's pattern (ECMA-262) as a Java pattern: the one difference these schemas hit is a bare {@code [}
   * inside a character class, literal in ECMA-262 and an error in Java.
   */
  static Pattern ecmaPattern(String ecma) {
    StringBuilder java = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < ecma.length(); i++) {
      char c = ecma.charAt(i);
      if (c == '\\' && i + 1 < ecma.length()) {
        java.append(c).append(ecma.charAt(++i));
        continue;
      }
      if (c == '[' && inClass) {
        java.append("\\[");
        continue;
      }
      inClass = c == '[' || (inClass && c != ']');
      java.append(c);
    }
    return Pattern.compile(java.toString());
  }

  /** Other values a plain text can take, most likely valid first. */
  private static List<String> changedScalar(String s) {
    List<String> out = new ArrayList<>();
    var cidr = CIDR.matcher(s);
    if (cidr.matches()) {
      int prefix = Integer.parseInt(cidr.group(5));
      if (prefix == 0) {
        out.add(s.replace("/0", "/1"));
      } else {
        int octet = (prefix - 1) / 8;
        int[] parts = new int[4];
        for (int i = 0; i < 4; i++) {
          parts[i] = Integer.parseInt(cidr.group(i + 1));
        }
        parts[octet] = (parts[octet] + (1 << (8 * (octet + 1) - prefix))) % 256;
        out.add(parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3] + "/" + prefix);
      }
      return out;
    }
    char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
    if (Character.isDigit(last)) {
      out.add(s.substring(0, s.length() - 1) + (char) ('0' + (last - '0' + 1) % 10)); // an id, a UUID, a date
    }
    if (s.startsWith("arn:") || (s.contains("::") && !s.contains("${"))) { // an ARN, a type name
      out.add(s + "Changed");
    }
    out.add(s.contains("\n") ? s + "# changed\n" : s.trim().startsWith("{") ? s + "\n" : s + "-changed");
    return out;
  }

  private List<Candidate> intrinsicChanges(String id, List<Object> path, Map<?, ?> intrinsic) {
    String function = String.valueOf(intrinsic.keySet().iterator().next());
    Object argument = intrinsic.values().iterator().next();
    List<Candidate> out = new ArrayList<>();
    if (function.equals("Ref") && section(template, "Parameters").containsKey(String.valueOf(argument))) {
      String name = String.valueOf(argument);
      Map<String, Object> declared = Evaluation.asMap(section(template, "Parameters").get(name));
      String current = parameters.getOrDefault(name, String.valueOf(declared.get("Default")));
      List<String> alternatives = declared.get("AllowedValues") instanceof List<?> allowed
          ? allowed.stream().map(String::valueOf).toList() : changedScalar(current);
      Object pattern = declared.get("AllowedPattern");
      alternatives.stream().filter(v -> !v.equals(current))
          .filter(v -> pattern == null || Pattern.compile(String.valueOf(pattern)).matcher(v).matches())
          .findFirst().ifPresent(v -> out.add(replace(id, path, v, "Ref " + name + " (" + current + ") -> " + v)));
    } else if (function.equals("Ref") || function.equals("Fn::GetAtt")) {
      String target = function.equals("Ref") ? String.valueOf(argument) : String.valueOf(((List<?>) argument).get(0));
      if (section(template, "Resources").containsKey(target)) {
        String copy = target + "Copy";
        Map<String, Object> mutated = deepCopy(template);
        section(mutated, "Resources").put(copy, deepCopy(section(template, "Resources").get(target)));
        Object reference = function.equals("Ref") ? Map.of("Ref", copy)
            : Map.of("Fn::GetAtt", List.of(copy, ((List<?>) argument).get(1)));
        set(mutated, id, path, reference);
        out.add(new Candidate(mutated, target + " -> its copy " + copy + ", added beside it"));
      }
    } else if (function.equals("Fn::Sub")) {
      boolean listForm = argument instanceof List<?>;
      String text = String.valueOf(listForm ? ((List<?>) argument).get(0) : argument);
      for (String changed : changedScalar(text)) {
        Object sub = listForm ? List.of(changed, ((List<?>) argument).get(1)) : changed;
        out.add(replace(id, path, Map.of("Fn::Sub", sub), "Fn::Sub text changed"));
      }
    }
    return out;
  }

  private Mutation added(String id) {
    Map<String, Object> mutated = deepCopy(template);
    section(mutated, "Resources").put(id + "Added", deepCopy(section(template, "Resources").get(id)));
    return new Mutation(Kind.ADD, id + "Added", typeOf(id), null, "a copy of " + id, mutated);
  }

  /** {@code id} removed, with the DependsOn entries and Outputs that named it. */
  private Mutation removed(String id) {
    Map<String, Object> mutated = deepCopy(template);
    section(mutated, "Resources").remove(id);
    for (Object resource : section(mutated, "Resources").values()) {
      Map<String, Object> r = Evaluation.asMap(resource);
      if (r.get("DependsOn") instanceof List<?> deps) {
        r.put("DependsOn", deps.stream().filter(d -> !d.equals(id)).toList());
      } else if (id.equals(r.get("DependsOn"))) {
        r.remove("DependsOn");
      }
    }
    section(mutated, "Outputs").values().removeIf(output -> names(output).contains(id));
    return new Mutation(Kind.REMOVE, id, typeOf(id), null, "removed", mutated);
  }

  private boolean referredToByOthers(String id) {
    Map<String, Object> resources = section(template, "Resources");
    return resources.entrySet().stream().filter(e -> !e.getKey().equals(id))
        .anyMatch(e -> names(Evaluation.asMap(e.getValue()).get("Properties")).contains(id)
            || names(Evaluation.asMap(e.getValue()).get("Metadata")).contains(id));
  }

  /** The logical ids a node refers to (Ref, Fn::GetAtt, Fn::Sub variables). */
  private static Set<String> names(Object node) {
    Set<String> found = new LinkedHashSet<>();
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        if (k.equals("Ref")) {
          found.add(String.valueOf(v));
        } else if (k.equals("Fn::GetAtt") && v instanceof List<?> l) {
          found.add(String.valueOf(l.get(0)));
        } else if (k.equals("Fn::Sub")) {
          var m = Pattern.compile("\\$\\{([A-Za-z0-9]+)").matcher(String.valueOf(v instanceof List<?> l ? l.get(0) : v));
          while (m.find()) {
            found.add(m.group(1));
          }
        }
        found.addAll(names(v));
      });
    } else if (node instanceof List<?> list) {
      list.forEach(e -> found.addAll(names(e)));
    }
    return found;
  }

  /** The resource schema of the value at {@code path} (below Properties), or empty where it has none. */
  private Map<String, Object> schemaAt(String type, List<Object> path) {
    if (!schemas.knows(type)) {
      return Map.of();
    }
    Map<String, Object> schema = schemas.schema(type);
    Map<String, Object> node = section(schema, "properties");
    Map<String, Object> at = Evaluation.asMap(node.get(String.valueOf(path.get(0))));
    for (Object step : path.subList(1, path.size())) {
      at = resolve(schema, at);
      if (at == null || String.valueOf(step).startsWith("Fn::")) {
        return Map.of();
      }
      at = step instanceof Integer ? Evaluation.asMap(at.get("items")) : property(schema, at, String.valueOf(step));
    }
    Map<String, Object> resolved = resolve(schema, at);
    return resolved == null ? Map.of() : resolved;
  }

  /** The schema of property {@code name} of an object schema, looking into its oneOf/anyOf alternatives. */
  private static Map<String, Object> property(Map<String, Object> schema, Map<String, Object> object, String name) {
    Map<String, Object> direct = Evaluation.asMap(section(object, "properties").get(name));
    if (direct != null) {
      return direct;
    }
    for (String choice : List.of("oneOf", "anyOf")) {
      if (object.get(choice) instanceof List<?> alternatives) {
        for (Object alternative : alternatives) {
          Map<String, Object> found = property(schema, resolve(schema, Evaluation.asMap(alternative)), name);
          if (found != null) {
            return found;
          }
        }
      }
    }
    return null;
  }

  private static Map<String, Object> resolve(Map<String, Object> schema, Map<String, Object> node) {
    Map<String, Object> at = node;
    while (at != null && at.get("$ref") instanceof String ref && ref.startsWith("#/definitions/")) {
      at = Evaluation.asMap(section(schema, "definitions").get(ref.substring("#/definitions/".length())));
    }
    return at;
  }

  private Candidate replace(String id, List<Object> path, Object value, String change) {
    Map<String, Object> mutated = deepCopy(template);
    set(mutated, id, path, value);
    return new Candidate(mutated, path.get(0) + (path.size() > 1 ? "/" + String.join("/",
        path.subList(1, path.size()).stream().map(String::valueOf).toList()) : "") + ": " + change);
  }

  /** Sets the node at {@code path} below the resource's Properties (intrinsic steps: function name, argument index). */
  @SuppressWarnings("unchecked")
  private static void set(Map<String, Object> template, String id, List<Object> path, Object value) {
    Object parent = propertiesOf(template, id);
    for (int i = 0; i < path.size() - 1; i++) {
      parent = step(parent, path.get(i));
    }
    Object last = path.get(path.size() - 1);
    if (parent instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).put(String.valueOf(last), value);
    } else {
      ((List<Object>) parent).set((Integer) last, value);
    }
  }

  /** The other elements of the list the node at {@code path} is in (empty when it is not in a list). */
  private List<String> siblings(String id, List<Object> path) {
    Object parent = propertiesOf(template, id);
    for (int i = 0; i < path.size() - 1 && parent != null; i++) {
      parent = step(parent, path.get(i));
    }
    return parent instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
  }

  private static Object step(Object node, Object key) {
    return node instanceof Map<?, ?> map ? map.get(key) : ((List<?>) node).get((Integer) key);
  }

  private String typeOf(String id) {
    return String.valueOf(Evaluation.asMap(section(template, "Resources").get(id)).get("Type"));
  }

  private static Map<String, Object> propertiesOf(Map<String, Object> template, String id) {
    return section(Evaluation.asMap(section(template, "Resources").get(id)), "Properties");
  }

  private static boolean isIntrinsic(Map<?, ?> map) {
    String key = String.valueOf(map.keySet().iterator().next());
    return key.equals("Ref") || key.startsWith("Fn::");
  }

  private static Map<String, Object> section(Map<String, Object> parent, String key) {
    Map<String, Object> s = Evaluation.asMap(parent.get(key));
    return s == null ? new LinkedHashMap<>() : s;
  }

  private static List<Object> append(List<Object> path, Object... steps) {
    List<Object> longer = new ArrayList<>(path);
    longer.addAll(List.of(steps));
    return longer;
  }

  private static List<Object> prepend(Object first, List<Object> rest) {
    List<Object> longer = new ArrayList<>();
    longer.add(first);
    longer.addAll(rest);
    return longer;
  }

  /** A mutable deep copy (the parsed template holds immutable maps for short-form intrinsics). */
  @SuppressWarnings("unchecked")
  static <T> T deepCopy(T node) {
    Function<Object, Object> copy = Mutations::deepCopy;
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), copy.apply(v)));
      return (T) out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(e -> out.add(copy.apply(e)));
      return (T) out;
    }
    return node;
  }
}
