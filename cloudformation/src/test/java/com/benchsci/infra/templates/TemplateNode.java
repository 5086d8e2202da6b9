package com.benchsci.infra.templates;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * One place in a template's YAML tree, found by its keys. Works on the composed node graph, so CloudFormation's
 * short tags (!Sub, !Ref, ...) need no constructor: a tagged node is just a node with a tag.
 */
public final class TemplateNode {

  private TemplateNode() {}

  static Node at(Path template, String... keys) {
    Node node;
    try (Reader reader = Files.newBufferedReader(template, StandardCharsets.UTF_8)) {
      node = new Yaml().compose(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + template, e);
    }
    StringBuilder path = new StringBuilder();
    for (String key : keys) {
      path.append('/').append(key);
      node = child(node, key);
      if (node == null) {
        throw new AssertionError(template + " has nothing at " + path);
      }
    }
    return node;
  }

  /** The text of a plain scalar (no intrinsic function) at that place. */
  public static String text(Path template, String... keys) {
    Node node = at(template, keys);
    if (!(node instanceof ScalarNode scalar)) {
      throw new AssertionError(template + " has no plain text at /" + String.join("/", keys));
    }
    return scalar.getValue();
  }

  static Node child(Node node, String key) {
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          return tuple.getValueNode();
        }
      }
    }
    return null;
  }
}
