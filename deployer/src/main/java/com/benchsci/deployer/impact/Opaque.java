package com.benchsci.deployer.impact;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A template value that cannot be computed before CloudFormation applies the change: a resource's physical id, an
 * attribute, the account id. {@code text} is the value with each unknown written as a {@code ${...}} placeholder
 * ({@code arn:aws:s3:::${ArtifactBucket}/app.jar}), so two opaque values can still be compared.
 */
record Opaque(String text, Kind kind) {

  /** How an opaque value relates to the one on the other side of the change, worst last. */
  enum Kind {
    /** The same before and after: a pseudo parameter, the id of a resource this change keeps. */
    STABLE,
    /** Holds the id of a resource this change creates (added or replaced): differs from every earlier value. */
    FRESH,
    /** Known only after apply ({{changeSet:KNOWN_AFTER_APPLY}}): may or may not change. */
    OPEN;

    Kind worst(Kind other) {
      return compareTo(other) >= 0 ? this : other;
    }
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^}]*}");

  static Opaque stable(String unknown) {
    return new Opaque("${" + unknown + "}", Kind.STABLE);
  }

  static Opaque fresh(String unknown) {
    return new Opaque("${" + unknown + "}", Kind.FRESH);
  }

  static Opaque open(String unknown) {
    return new Opaque("${" + unknown + "}", Kind.OPEN);
  }

  /** The placeholders in order: two stable values with the same ones differ only where their known text does. */
  List<String> placeholders() {
    List<String> found = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      found.add(m.group());
    }
    return found;
  }

  @Override
  public String toString() {
    return text;
  }
}
