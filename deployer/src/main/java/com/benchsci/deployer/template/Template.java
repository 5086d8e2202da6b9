package com.benchsci.deployer.template;

import com.benchsci.deployer.core.DeployException;
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
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A CloudFormation template read from disk: its body for the API and what the deployer needs to know of it. The tests
 * of the templates read them through here too, so there is one reading of CloudFormation's YAML.
 */
public final class Template {

  /** CloudFormation's limit for a TemplateBody sent inline; a larger template goes through S3 (TemplateURL). */
  public static final int INLINE_LIMIT = 51_200;

  private final Path file;
  private final String body;
  private final Map<String, Object> tree;

  private Template(Path file, String body, Map<String, Object> tree) {
    this.file = file;
    this.body = body;
    this.tree = tree;
  }

  public static Template load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DeployException("template not found: " + file);
    }
    String body;
    try {
      body = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DeployException("cannot read template " + file + ": " + e.getMessage(), e);
    }
    return new Template(file, body, parse(body, file.toString()));
  }

  /**
   * The tree of a template body (YAML or JSON; intrinsics in their long form), such as GetTemplate returns for a
   * deployed stack; {@code source} names it in a failure.
   */
  public static Map<String, Object> parse(String body, String source) {
    try {
      Object tree = new Yaml(new CfnConstructor()).load(body);
      if (!(tree instanceof Map<?, ?> map) || !map.containsKey("Resources")) {
        throw new DeployException("not a CloudFormation template (no Resources section): " + source);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> typed = (Map<String, Object>) map;
      return typed;
    } catch (YAMLException e) {
      throw invalidYaml(source, e);
    }
  }

  /** file:line:column and the parser's own reason, in one line. */
  static DeployException invalidYaml(Object file, YAMLException e) {
    if (e instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark at = marked.getProblemMark();
      return new DeployException(file + ":" + (at.getLine() + 1) + ":" + (at.getColumn() + 1) + ": invalid YAML: "
          + marked.getProblem() + (marked.getContext() == null ? "" : " (" + marked.getContext() + ")"), e);
    }
    return new DeployException(file + ": invalid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
  }

  public Path file() {
    return file;
  }

  /** The whole template as maps and lists, short intrinsic tags in their long form ({@code {"Fn::Sub": x}}). */
  public Map<String, Object> tree() {
    return tree;
  }

  public String body() {
    return body;
  }

  /** The body's size in bytes, as CloudFormation counts it. */
  public int size() {
    return body.getBytes(StandardCharsets.UTF_8).length;
  }

  public boolean fitsInline() {
    return size() <= INLINE_LIMIT;
  }

  /** Each parameter's declaration (Type, AllowedPattern, ...), by name. */
  @SuppressWarnings("unchecked")
  Map<String, Map<String, Object>> parameters() {
    Map<String, Map<String, Object>> declared = new LinkedHashMap<>();
    section("Parameters").forEach((name, declaration) ->
        declared.put(name, declaration instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of()));
    return declared;
  }

  public Set<String> parameterNames() {
    return section("Parameters").keySet();
  }

  /** The Default of each parameter that declares one, as the string CloudFormation passes. */
  public Map<String, String> parameterDefaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    parameters().forEach((name, declaration) -> {
      if (declaration.get("Default") != null) {
        defaults.put(name, String.valueOf(declaration.get("Default")));
      }
    });
    return defaults;
  }

  /** The Type of every resource. */
  public Set<String> resourceTypes() {
    Set<String> types = new TreeSet<>();
    section("Resources").values().forEach(r -> {
      if (r instanceof Map<?, ?> m && m.get("Type") instanceof String type) {
        types.add(type);
      }
    });
    return types;
  }

  /** Output name to its Value expression, in the Fn:: form (short tags expanded). */
  public Map<String, Object> outputValues() {
    Map<String, Object> values = new LinkedHashMap<>();
    section("Outputs").forEach((name, output) -> {
      if (output instanceof Map<?, ?> m) {
        values.put(name, m.get("Value"));
      }
    });
    return values;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> section(String name) {
    Object s = tree.get(name);
    return s instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** Reads the short-form intrinsic tags (!Ref, !Sub, ...) as the long form ({"Ref": x}, {"Fn::Sub": x}). */
  private static final class CfnConstructor extends SafeConstructor {
    CfnConstructor() {
      super(new LoaderOptions());
      yamlMultiConstructors.put("!", new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          String tag = node.getTag().getValue().substring(1);
          String key = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
          Object value;
          if (node instanceof ScalarNode scalar) {
            String text = constructScalar(scalar);
            value = tag.equals("GetAtt") ? List.of(text.split("\\.", 2)) : text;
          } else if (node instanceof SequenceNode seq) {
            value = constructSequence(seq);
          } else {
            value = constructMapping((MappingNode) node);
          }
          return Map.of(key, value);
        }
      });
    }
  }
}
