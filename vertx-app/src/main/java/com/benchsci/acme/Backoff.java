package com.benchsci.acme;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * When to ask the CA again after a failure: at the CA's Retry-After where it sent one (RFC 8555 section 6.6 for
 * rateLimited; any error response may carry it), else {@link #FIRST} after the first failure, doubling with each
 * failure in a row up to {@link #LONGEST}, plus up to a tenth more at random so hosts that failed together spread out.
 * Never sooner than {@link #SHORTEST}: nothing here retries in a loop.
 */
final class Backoff {
  static final Duration FIRST = Duration.ofMinutes(10);
  static final Duration LONGEST = Duration.ofHours(6);
  static final Duration SHORTEST = Duration.ofMinutes(1);

  private Backoff() {}

  /** The next attempt, and why then (for the log line). */
  record Next(Instant at, String why) {}

  /**
   * @param failuresInARow this failure included, so at least 1
   * @param random a number in [0, 1) for the jitter
   */
  static Next after(Instant now, int failuresInARow, Optional<Instant> retryAfter, double random) {
    Instant soonest = now.truncatedTo(ChronoUnit.SECONDS).plus(SHORTEST);
    if (retryAfter.isPresent()) {
      Instant asked = retryAfter.get();
      return new Next(asked.isAfter(soonest) ? asked : soonest, "the CA's Retry-After");
    }
    Duration delay = FIRST.multipliedBy(1L << Math.min(failuresInARow - 1, 20));
    if (delay.compareTo(LONGEST) > 0) {
      delay = LONGEST;
    }
    delay = delay.plusSeconds((long) (delay.toSeconds() / 10 * random));
    return new Next(now.truncatedTo(ChronoUnit.SECONDS).plus(delay), "failure " + failuresInARow + " in a row");
  }
}
