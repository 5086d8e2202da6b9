package com.benchsci.deployer.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The digests a review showed, stack by stack: a deploy executes a change set only when its digest is the one
 * reviewed for its stack. {@link #ANY} is no such check (local and hand-run deploys). The text form,
 * {@code STACK=SHA256,...}, is the review's review-digests.txt and the value of {@code --reviewed-digests}.
 */
public final class ReviewedDigests {

  public static final ReviewedDigests ANY = new ReviewedDigests(null);

  /** null: any change set may execute. */
  private final Map<String, String> digests;

  private ReviewedDigests(Map<String, String> digests) {
    this.digests = digests;
  }

  public static ReviewedDigests of(Map<String, String> digests) {
    return new ReviewedDigests(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(digests)));
  }

  /** {@code any}, or {@code stack=sha256} pairs, comma-separated (empty: nothing was reviewed). */
  public static ReviewedDigests parse(String value) {
    if (value.trim().equals("any")) {
      return ANY;
    }
    Map<String, String> digests = new LinkedHashMap<>();
    for (String pair : value.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] parts = pair.trim().split("=", 2);
      if (parts.length != 2 || !parts[1].matches("[0-9a-f]{64}")) {
        throw new DeployException("--reviewed-digests: '" + pair
            + "' is not STACK=<64 hex digits> (the content of review-digests.txt)");
      }
      digests.put(parts[0], parts[1]);
    }
    return new ReviewedDigests(digests);
  }

  /** {@code stack=digest,...} in the given order: the text form. */
  public static String format(Map<String, String> digests) {
    return digests.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }

  /** Whether a change set of {@code stack} with {@code digest} may execute: what was reviewed, or no check. */
  public boolean approve(String stack, String digest) {
    return digests == null || digest.equals(digests.get(stack));
  }

  /** The digest reviewed for {@code stack}, if any was. */
  public Optional<String> reviewed(String stack) {
    return digests == null ? Optional.empty() : Optional.ofNullable(digests.get(stack));
  }

  public Map<String, String> asMap() {
    return digests == null ? Map.of() : Map.copyOf(digests);
  }

  public boolean isAny() {
    return digests == null;
  }

  @Override
  public String toString() {
    return digests == null ? "any" : format(digests);
  }
}
