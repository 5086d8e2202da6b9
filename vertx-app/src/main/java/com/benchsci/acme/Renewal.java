package com.benchsci.acme;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * When a certificate from the CA is renewed: at a moment in the CA's suggested renewal window where it publishes
 * renewal information for the certificate (ARI, RFC 9773 section 4.2: "a uniform random time within the suggested
 * window"); otherwise at half its lifetime plus up to a tenth of it, so hosts that got their certificates together do
 * not all come back together. The moment is random but drawn from a seed of the certificate (and of the window), so
 * every run of the timer arrives at the same one: a new draw on each run would pull renewals toward the window's start.
 */
final class Renewal {
  private Renewal() {}

  /** What a renewal decision needs of a certificate. */
  record Issued(Instant notBefore, Instant notAfter, BigInteger serial) {
    static Issued of(X509Certificate certificate) {
      return new Issued(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
          certificate.getSerialNumber());
    }

    Duration lifetime() {
      return Duration.between(notBefore, notAfter);
    }
  }

  /** The CA's suggested renewal window for a certificate. */
  record Window(Instant start, Instant end) {}

  static Instant renewAt(Issued certificate, Optional<Window> ari) {
    if (ari.isPresent()) {
      Window window = ari.get();
      long span = Math.max(0, Duration.between(window.start(), window.end()).toMillis());
      long seed = certificate.serial().longValue() * 31 + window.start().toEpochMilli() * 17 + window.end().toEpochMilli();
      return window.start().plusMillis((long) (span * new SplittableRandom(seed).nextDouble()));
    }
    long lifetime = certificate.lifetime().toMillis();
    double jitter = new SplittableRandom(certificate.serial().longValue()).nextDouble();
    return certificate.notBefore().plusMillis(lifetime / 2 + (long) (lifetime / 10 * jitter));
  }
}
