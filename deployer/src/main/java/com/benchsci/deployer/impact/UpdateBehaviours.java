package com.benchsci.deployer.impact;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The documented update behaviour of each property the templates set ({@code update-behaviours.yaml}, beside this
 * class): what AWS's Template Reference says a change of it requires, where that was read, and what it means for
 * the stack.
 */
public final class UpdateBehaviours {

  /** A narrower rule from the page's own text for paths below the property ({@code *}: one element, {@code **}: any). */
  record Refinement(List<String> path, Interruption requires, String effect) {}

  /** One property's documented behaviour. {@code schemaNote}: set where the page and the schema disagree. */
  record Row(String type, String property, Interruption requires, String read, String source, String effect,
      String effectSource, String schemaNote, List<Refinement> when) {}

  /** The behaviour that applies to one changed path, with what it means and where it is written. */
  record Documented(Interruption requires, String effect, String source, Row row) {}

  private static final String RESOURCE = "update-behaviours.yaml";

  private final String read;
  private final Map<String, Row> rows;

  private UpdateBehaviours(String read, Map<String, Row> rows) {
    this.read = read;
    this.rows = rows;
  }

  /** The checked-in table. */
  public static UpdateBehaviours standard() {
    try (InputStream in = UpdateBehaviours.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the deployer jar");
      }
      Map<String, Object> file = Evaluation.asMap(new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
      Map<String, Row> rows = new LinkedHashMap<>();
      for (Object entry : (List<?>) file.get("behaviours")) {
        Row row = row(Evaluation.asMap(entry));
        if (rows.put(key(row.type(), row.property()), row) != null) {
          throw new IllegalStateException(RESOURCE + " lists " + row.type() + " " + row.property() + " twice");
        }
      }
      return new UpdateBehaviours(String.valueOf(file.get("read")), rows);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  private static Row row(Map<String, Object> e) {
    List<Refinement> when = new ArrayList<>();
    if (e.get("when") instanceof List<?> list) {
      for (Object r : list) {
        Map<String, Object> m = Evaluation.asMap(r);
        when.add(new Refinement(List.of(String.valueOf(m.get("path")).split("/")),
            Interruption.ofDocumented(String.valueOf(m.get("requires"))), text(m.get("effect"))));
      }
    }
    return new Row(String.valueOf(e.get("type")), String.valueOf(e.get("property")),
        Interruption.ofDocumented(String.valueOf(e.get("requires"))), String.valueOf(e.get("read")),
        String.valueOf(e.get("source")), text(e.get("effect")), text(e.get("effectSource")), text(e.get("schema")),
        List.copyOf(when));
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value);
  }

  private static String key(String type, String property) {
    return type + " " + property;
  }

  /** The date the rows were read. */
  public String read() {
    return read;
  }

  public List<Row> rows() {
    return List.copyOf(rows.values());
  }

  /** The behaviour AWS documents for a change at {@code path} (below Properties) of a {@code type}, or null. */
  Documented at(String type, List<Object> path) {
    Row row = rows.get(key(type, String.valueOf(path.get(0))));
    if (row == null) {
      return null;
    }
    List<Object> below = path.subList(1, path.size());
    for (Refinement r : row.when()) {
      if (matches(r.path(), below)) {
        return new Documented(r.requires(), r.effect().isEmpty() ? row.effect() : r.effect(), row.source(), row);
      }
    }
    return new Documented(row.requires(), row.effect(), row.source(), row);
  }

  private static boolean matches(List<String> pattern, List<Object> path) {
    if (pattern.isEmpty()) {
      return path.isEmpty();
    }
    if (pattern.get(0).equals("**")) {
      return true;
    }
    return !path.isEmpty() && (pattern.get(0).equals("*") || pattern.get(0).equals(String.valueOf(path.get(0))))
        && matches(pattern.subList(1, pattern.size()), path.subList(1, path.size()));
  }
}
