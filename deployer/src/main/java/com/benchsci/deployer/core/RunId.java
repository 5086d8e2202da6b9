package com.benchsci.deployer.core;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * One run of the deployer: its name is also the name and client token of its change sets,
 * {@code hello-host-<commit>-<UTC time>-<random>} for a deploy and {@code hello-host-review-<commit>-...} for a review,
 * traceable to the commit and unique per run even for runs started in the same second. The review prefix is what the
 * review role's IAM policy (bootstrap.yaml, OnlyItsOwnReviewChangeSets) lets it create and delete, so a review can
 * never delete a deploy's pending change set. {@code buildUrl} is the CI build that started it, or empty.
 */
public record RunId(String name, String buildUrl) {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);
  private static final RandomGenerator RANDOM = new SecureRandom();

  public RunId {
    buildUrl = buildUrl == null ? "" : buildUrl.trim();
  }

  /** Change sets of a review run start with this; a deploy's never do (see bootstrap.yaml's review role). */
  public static final String REVIEW_PREFIX = "hello-host-review-";

  /** A new run of {@code commit} (a hash, any length; empty when unknown), started now, in {@code mode}. */
  public static RunId create(String commit, String buildUrl, Mode mode) {
    return create(commit, buildUrl, mode, Instant.now(), RANDOM);
  }

  static RunId create(String commit, String buildUrl, Mode mode, Instant now, RandomGenerator random) {
    String safe = commit == null ? "" : commit.replaceAll("[^A-Za-z0-9]", "");
    String traced = safe.isEmpty() ? "nocommit" : safe.substring(0, Math.min(12, safe.length()));
    if (mode == Mode.DEPLOY && traced.startsWith("review")) {
      traced = "c" + traced; // a deploy is never named like a review
    }
    return new RunId((mode == Mode.REVIEW ? REVIEW_PREFIX : "hello-host-") + traced + "-" + TIME.format(now) + "-"
        + HexFormat.of().toHexDigits(random.nextInt()), buildUrl);
  }

  /**
   * The name, and client token, of this run's {@code n}-th change set on one stack: the run's name, then the name
   * with a counter (AWS takes a CreateChangeSet with a token it has seen for a retry of the first).
   */
  public String changeSetName(int n) {
    return n == 1 ? name : name + "-" + n;
  }

  /** Whether {@code changeSetName} is one of this run's. */
  public boolean owns(String changeSetName) {
    return changeSetName.equals(name) || changeSetName.startsWith(name + "-");
  }
}
