package com.benchsci.infra;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation YAML template into plain maps and lists, turning the short intrinsic tags into their long
 * forms ({@code !Sub x} becomes {@code {Fn::Sub: x}}, {@code !Ref x} becomes {@code {Ref: x}},
 * {@code !GetAtt A.b} becomes {@code {Fn::GetAtt: [A, b]}}), exactly as CloudFormation reads them.
 */
final class CloudFormationYaml {

  private static final List<String> FUNCTIONS = List.of("And", "Base64", "Cidr", "Equals", "FindInMap", "GetAZs",
      "If", "ImportValue", "Join", "Not", "Or", "Select", "Split", "Sub", "Transform");

  private CloudFormationYaml() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> load(Path template) {
    try (Reader reader = Files.newBufferedReader(template, StandardCharsets.UTF_8)) {
      Object document = new Yaml(new IntrinsicConstructor()).load(reader);
      if (!(document instanceof Map)) {
        throw new IllegalArgumentException(template + " is not a YAML mapping");
      }
      return (Map<String, Object>) document;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + template, e);
    }
  }

  private static final class IntrinsicConstructor extends SafeConstructor {
    IntrinsicConstructor() {
      super(new LoaderOptions());
      for (String function : FUNCTIONS) {
        yamlConstructors.put(new Tag("!" + function), new LongForm("Fn::" + function));
      }
      yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
      yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
      yamlConstructors.put(new Tag("!GetAtt"), new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          if (node instanceof ScalarNode scalar) {
            String value = constructScalar(scalar);
            int dot = value.indexOf('.');
            if (dot < 0) {
              throw new IllegalArgumentException("!GetAtt " + value + " is not of the form Resource.Attribute"
                  + node.getStartMark());
            }
            return Map.of("Fn::GetAtt", List.of(value.substring(0, dot), value.substring(dot + 1)));
          }
          return Map.of("Fn::GetAtt", content(node));
        }
      });
    }

    private Object content(Node node) {
      if (node instanceof ScalarNode scalar) {
        return constructScalar(scalar);
      }
      if (node instanceof SequenceNode sequence) {
        return constructSequence(sequence);
      }
      return constructMapping((MappingNode) node);
    }

    private final class LongForm extends AbstractConstruct {
      private final String name;

      LongForm(String name) {
        this.name = name;
      }

      @Override
      public Object construct(Node node) {
        return Map.of(name, content(node));
      }
    }
  }
}
