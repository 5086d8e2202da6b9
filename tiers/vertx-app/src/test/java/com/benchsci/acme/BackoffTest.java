package com.benchsci.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** When the CA is asked again after a failure: never in a loop, at its Retry-After where it sends one. */
class BackoffTest {
  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

  @Test
  void aRateLimitWithRetryAfterIsHonouredToTheSecond() {
    Instant retryAfter = NOW.plus(Duration.ofHours(3));

    Backoff.Next next = Backoff.after(NOW, 1, Optional.of(retryAfter), 0.5);

    assertThat(next).isEqualTo(new Backoff.Next(retryAfter, "the CA's Retry-After"));
  }

  @Test
  void aRetryAfterInThePastOrNowStillWaitsAMinute() {
    assertThat(Backoff.after(NOW, 1, Optional.of(NOW.minusSeconds(30)), 0).at()).isEqualTo(NOW.plus(Backoff.SHORTEST));
    assertThat(Backoff.after(NOW, 4, Optional.of(NOW), 0).at()).isEqualTo(NOW.plus(Backoff.SHORTEST));
  }

  @Test
  void withoutRetryAfterTheWaitDoublesFromTenMinutesUpToSixHours() {
    assertThat(waits(0)).containsExactly(Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(40),
        Duration.ofMinutes(80), Duration.ofMinutes(160), Duration.ofMinutes(320), Duration.ofHours(6),
        Duration.ofHours(6));
    assertThat(Backoff.after(NOW, 1000, Optional.empty(), 0).at()).isEqualTo(NOW.plus(Duration.ofHours(6)));
  }

  @Test
  void theJitterAddsUpToATenth() {
    assertThat(waits(0.999)).containsExactly(Duration.ofSeconds(659), Duration.ofSeconds(1319),
        Duration.ofSeconds(2639), Duration.ofSeconds(5279), Duration.ofSeconds(10559), Duration.ofSeconds(21118),
        Duration.ofSeconds(23757), Duration.ofSeconds(23757));
    assertThat(Backoff.after(NOW, 3, Optional.empty(), 0.5).why()).isEqualTo("failure 3 in a row");
  }

  private static List<Duration> waits(double random) {
    return IntStream.rangeClosed(1, 8)
        .mapToObj(n -> Duration.between(NOW, Backoff.after(NOW, n, Optional.empty(), random).at())).toList();
  }
}
