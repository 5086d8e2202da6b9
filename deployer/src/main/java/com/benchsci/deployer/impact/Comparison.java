package com.benchsci.deployer.impact;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a value changes between the template before and after, as far as it can be known: both values known and
 * equal (SAME) or not (DIFFERENT), or depending on something only CloudFormation learns when it applies the change
 * (UNKNOWN). Scalars compare as text, as CloudFormation passes them: {@code 8} and {@code "8"} are the same.
 */
enum Comparison {
  SAME,
  DIFFERENT,
  UNKNOWN;

  /** One place where the two sides differ or may differ; {@code null} stands for absent. */
  record Difference(List<Object> path, Object before, Object after, Comparison comparison) {

    /** The path as the change set writes it below Properties: {@code NetworkInterfaces/0/Description}. */
    String pathText() {
      return String.join("/", path.stream().map(String::valueOf).toList());
    }
  }

  /** The overall comparison of two values. */
  static Comparison of(Object before, Object after) {
    List<Difference> found = differences(before, after);
    if (found.isEmpty()) {
      return SAME;
    }
    return found.stream().anyMatch(d -> d.comparison() == DIFFERENT) ? DIFFERENT : UNKNOWN;
  }

  /** Every leaf (or whole list, when the lengths differ) that differs or may differ, in document order. */
  static List<Difference> differences(Object before, Object after) {
    List<Difference> out = new ArrayList<>();
    walk(new ArrayList<>(), before, after, out);
    return out;
  }

  private static void walk(List<Object> path, Object before, Object after, List<Difference> out) {
    if (before == null && after == null) {
      return;
    }
    if (before instanceof Map<?, ?> a && after instanceof Map<?, ?> b) {
      Set<Object> keys = new LinkedHashSet<>(a.keySet());
      keys.addAll(b.keySet());
      for (Object key : keys) {
        walk(append(path, key), a.get(key), b.get(key), out);
      }
      return;
    }
    if (before instanceof List<?> a && after instanceof List<?> b && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        walk(append(path, i), a.get(i), b.get(i), out);
      }
      return;
    }
    Comparison leaf = leaf(before, after);
    if (leaf != SAME) {
      out.add(new Difference(List.copyOf(path), before, after, leaf));
    }
  }

  /** Two values that are not both maps nor both lists of one length. */
  private static Comparison leaf(Object before, Object after) {
    if (before == null || after == null) {
      return DIFFERENT;
    }
    if (before instanceof Opaque || after instanceof Opaque) {
      return opaque(before, after);
    }
    if (before instanceof Map || before instanceof List || after instanceof Map || after instanceof List) {
      return DIFFERENT;
    }
    return String.valueOf(before).equals(String.valueOf(after)) ? SAME : DIFFERENT;
  }

  private static Comparison opaque(Object before, Object after) {
    if (after instanceof Opaque b && b.kind() == Opaque.Kind.FRESH) {
      return DIFFERENT;
    }
    if (before instanceof Opaque a && after instanceof Opaque b) {
      if (a.kind() == Opaque.Kind.STABLE && b.kind() == Opaque.Kind.STABLE) {
        if (a.text().equals(b.text())) {
          return SAME;
        }
        // The same unknowns in the same places and other text around them: the strings differ.
        return a.placeholders().equals(b.placeholders()) ? DIFFERENT : UNKNOWN;
      }
    }
    return UNKNOWN;
  }

  private static List<Object> append(List<Object> path, Object element) {
    List<Object> longer = new ArrayList<>(path);
    longer.add(element);
    return longer;
  }
}
