package com.benchsci.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** When a certificate from the CA is renewed: in the CA's renewal window where it gives one, else at half its life. */
class RenewalTest {
  // A Let's Encrypt shortlived certificate: 160 hours (https://letsencrypt.org/docs/profiles/).
  private static final Instant ISSUED = Instant.parse("2026-05-01T10:00:00Z");
  private static final Renewal.Issued SHORTLIVED =
      new Renewal.Issued(ISSUED, ISSUED.plus(Duration.ofHours(160)), new BigInteger("4e1f0c2a9b7d6e53", 16));

  @Test
  void withoutRenewalInformationItIsHalfTheLifetimePlusUpToATenth() {
    Instant at = Renewal.renewAt(SHORTLIVED, Optional.empty());

    assertThat(at).isBetween(ISSUED.plus(Duration.ofHours(80)), ISSUED.plus(Duration.ofHours(96)));
  }

  @Test
  void theJitterSpreadsCertificatesOverTheWholeTenth() {
    var moments = IntStream.range(0, 1000).mapToObj(i -> Renewal.renewAt(
        new Renewal.Issued(ISSUED, SHORTLIVED.notAfter(), BigInteger.valueOf(7919L * i + 1)), Optional.empty()))
        .toList();

    assertThat(moments).allSatisfy(at -> assertThat(at)
        .isBetween(ISSUED.plus(Duration.ofHours(80)), ISSUED.plus(Duration.ofHours(96))));
    assertThat(moments.stream().min(Instant::compareTo).orElseThrow()).isBefore(ISSUED.plus(Duration.ofHours(81)));
    assertThat(moments.stream().max(Instant::compareTo).orElseThrow()).isAfter(ISSUED.plus(Duration.ofHours(95)));
  }

  @Test
  void theCasWindowDecidesWhereItGivesOne() {
    Renewal.Window window = new Renewal.Window(ISSUED.plus(Duration.ofHours(100)), ISSUED.plus(Duration.ofHours(110)));

    assertThat(Renewal.renewAt(SHORTLIVED, Optional.of(window))).isBetween(window.start(), window.end());
  }

  @Test
  void certificatesSpreadOverTheWholeWindow() {
    Renewal.Window window = new Renewal.Window(ISSUED.plus(Duration.ofHours(100)), ISSUED.plus(Duration.ofHours(110)));
    var moments = IntStream.range(0, 1000).mapToObj(i -> Renewal.renewAt(
        new Renewal.Issued(ISSUED, SHORTLIVED.notAfter(), BigInteger.valueOf(7919L * i + 1)), Optional.of(window)))
        .toList();

    assertThat(moments.stream().min(Instant::compareTo).orElseThrow()).isBefore(window.start().plus(Duration.ofHours(1)));
    assertThat(moments.stream().max(Instant::compareTo).orElseThrow()).isAfter(window.end().minus(Duration.ofHours(1)));
  }

  /** Every run of the timer computes the moment anew: it must come out the same, or renewals drift early. */
  @Test
  void theSameCertificateAndWindowGiveTheSameMomentOnEveryRun() {
    Renewal.Window window = new Renewal.Window(ISSUED.plus(Duration.ofHours(100)), ISSUED.plus(Duration.ofHours(110)));

    assertThat(Renewal.renewAt(SHORTLIVED, Optional.of(window))).isEqualTo(Renewal.renewAt(SHORTLIVED,
        Optional.of(new Renewal.Window(window.start(), window.end()))));
    assertThat(Renewal.renewAt(SHORTLIVED, Optional.empty())).isEqualTo(Renewal.renewAt(SHORTLIVED, Optional.empty()));
  }

  /** RFC 9773 section 4.2: a window in the past (a revoked certificate, say) means renew now. */
  @Test
  void aWindowInThePastMakesItDueNow() {
    Instant now = ISSUED.plus(Duration.ofHours(2));
    Renewal.Window past = new Renewal.Window(now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)));

    assertThat(Renewal.renewAt(SHORTLIVED, Optional.of(past))).isBefore(now);
  }
}
