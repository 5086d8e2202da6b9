package com.benchsci.acme;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * One run of the host's ACME client. First, without the CA, a certificate for the host's address is made sure of:
 * where none is served, or the one served lapses or names another address, a self-signed one takes its place. Then,
 * where a CA is set, the address can be ordered for and no backoff holds: when the served certificate is
 * self-signed, or the CA's and due for renewal ({@link Renewal}), a new one is ordered and written for the app to
 * pick up. A failure is one line naming the CA's error type and when the next attempt comes ({@link Backoff}); the
 * certificate served meanwhile stays. Each lasting state is said once, not on every run.
 */
final class CertificateService {
  // A self-signed certificate is made anew this long before it lapses; a run comes every few minutes.
  private static final Duration SELF_SIGNED_MARGIN = Duration.ofDays(7);
  private static final String STATE = "state.properties";
  private static final String ACCOUNT_KEY = "account-key.pem";

  private final AcmeSettings settings;
  private final TlsFiles files;

  CertificateService(AcmeSettings settings) {
    this.settings = settings;
    this.files = new TlsFiles(settings.certFile(), settings.keyFile());
  }

  /** Makes sure a certificate for the host's address is served, without asking the CA. */
  void fallback() throws IOException, GeneralSecurityException, InterruptedException {
    servable(PublicAddress.find(settings), Instant.now());
  }

  /** {@link #fallback}, then the CA if a certificate is to be ordered. */
  void renew() throws IOException, GeneralSecurityException, InterruptedException {
    Instant now = Instant.now();
    Path stateFile = settings.stateDir().resolve(STATE);
    AcmeState state = AcmeState.load(stateFile);
    PublicAddress address = PublicAddress.find(settings);
    X509Certificate served = servable(address, now);
    if (settings.directory().isEmpty()) {
      sayOnce(state, "ACME_DIRECTORY is empty: self-signed certificates only");
    } else if (address.notOrderable().isPresent()) {
      sayOnce(state, address.notOrderable().get() + "; the served certificate stays");
    } else if (state.nextAttempt().filter(now::isBefore).isEmpty()) {
      askTheCa(state, address.ip().orElseThrow(), served, now);
    }
    state.save(stateFile);
  }

  private void askTheCa(AcmeState state, InetAddress ip, X509Certificate served, Instant now)
      throws IOException, GeneralSecurityException, InterruptedException {
    CertificateAuthority ca = new CertificateAuthority(settings.directory().orElseThrow(), settings.email(),
        settings.stateDir().resolve(ACCOUNT_KEY), new ChallengeFiles(settings.challengeDir()));
    // The CA's own certificate for this address: renewed when due. Any other (self-signed, another CA's after a
    // change of ACME_DIRECTORY, one put there by hand) is replaced now.
    boolean fromTheCa = !SelfSigned.isSelfSigned(served) && names(served, ip)
        && state.issuedBy(served.getSerialNumber()).equals(Optional.of(ca.directory()));
    try {
      if (fromTheCa) {
        Instant renewal = renewalTime(ca, state, served, now);
        if (now.isBefore(renewal)) {
          sayOnce(state, "certificate for " + ip.getHostAddress() + " valid until " + served.getNotAfter().toInstant()
              + "; renewal from " + renewal.truncatedTo(ChronoUnit.SECONDS));
          return;
        }
      }
      CertificateAuthority.Issuance issued = ca.order(ip, fromTheCa ? Optional.of(served) : Optional.empty());
      issued.replacesRefused().ifPresent(refused -> say("the CA refused the order as the renewal of the certificate"
          + " with serial " + served.getSerialNumber().toString(16) + " (" + problem(refused) + "); ordered without"
          + " naming the certificate it renews"));
      files.write(issued.key().getPrivate(), issued.chain());
      state.succeeded();
      state.issued(issued.chain().get(0).getSerialNumber(), ca.directory());
      // Its renewal time comes with the next run, which asks the CA for the new certificate's renewal window.
      sayOnce(state, "certificate for " + ip.getHostAddress() + " from " + ca.directory()
          + issued.profile().map(p -> " (profile " + p + ")").orElse("") + " written, valid until "
          + issued.chain().get(0).getNotAfter().toInstant());
    } catch (AcmeException e) {
      int failures = state.failuresInARow() + 1;
      Backoff.Next next = Backoff.after(now, failures, retryAfter(e, ca), ThreadLocalRandom.current().nextDouble());
      state.failed(next, failures);
      sayOnce(state, "the CA at " + ca.directory() + " gave no certificate for " + ip.getHostAddress() + ": "
          + problem(e) + "; next attempt after " + next.at() + " (" + next.why() + "); serving "
          + (SelfSigned.isSelfSigned(served) ? "the self-signed certificate" : "the certificate valid until "
              + served.getNotAfter().toInstant()) + " meanwhile");
    }
  }

  /** When the CA's certificate is due: in the CA's window where it publishes one (fetched again when it says). */
  private static Instant renewalTime(CertificateAuthority ca, AcmeState state, X509Certificate certificate,
      Instant now) throws AcmeException, IOException, GeneralSecurityException {
    Renewal.Issued issued = Renewal.Issued.of(certificate);
    Optional<Renewal.Window> window = state.renewalWindow(issued.serial());
    if (!now.isBefore(state.renewalWindowCheck(issued.serial()))) {
      CertificateAuthority.RenewalInfo info = ca.renewalInfo(certificate, now);
      state.renewalWindow(issued.serial(), info.window(), info.nextCheck());
      window = info.window();
    }
    return Renewal.renewAt(issued, window);
  }

  /**
   * The certificate to serve for the address: the one served, unless there is none, it lapses (a self-signed one a
   * week ahead), names another address, or comes from a CA while ACME_DIRECTORY is empty; then a new self-signed one,
   * written in its place.
   */
  private X509Certificate servable(PublicAddress address, Instant now)
      throws IOException, GeneralSecurityException {
    Optional<List<X509Certificate>> served = files.served();
    String why;
    if (served.isEmpty()) {
      why = "no certificate was served";
    } else {
      X509Certificate certificate = served.get().get(0);
      Instant lapses = certificate.getNotAfter().toInstant();
      if (SelfSigned.isSelfSigned(certificate) ? now.plus(SELF_SIGNED_MARGIN).isAfter(lapses) : !now.isBefore(lapses)) {
        why = "the served one lapses at " + lapses;
      } else if (address.ip().isPresent() && !names(certificate, address.ip().get())) {
        why = "the served one is not for " + address.ip().get().getHostAddress();
      } else if (settings.directory().isEmpty() && !SelfSigned.isSelfSigned(certificate)) {
        why = "ACME_DIRECTORY is empty: self-signed certificates only";
      } else {
        return certificate;
      }
    }
    SelfSigned.Pair pair = SelfSigned.create(address.ip(), now);
    files.write(pair.key().getPrivate(), List.of(pair.certificate()));
    say("self-signed certificate for " + address.ip().map(InetAddress::getHostAddress).orElse("no address")
        + " written: " + why);
    return pair.certificate();
  }

  /** Whether {@code certificate} names {@code ip} among its subject alternative names. */
  static boolean names(X509Certificate certificate, InetAddress ip) throws CertificateParsingException {
    Collection<List<?>> names = certificate.getSubjectAlternativeNames();
    if (names == null) {
      return false;
    }
    for (List<?> name : names) {
      if (Integer.valueOf(7).equals(name.get(0))) { // iPAddress
        try {
          if (InetAddress.getByName((String) name.get(1)).equals(ip)) {
            return true;
          }
        } catch (UnknownHostException notAnAddress) {
          // not this one
        }
      }
    }
    return false;
  }

  /** The CA's Retry-After for this failure: none when the CA was not reached at all. */
  private static Optional<Instant> retryAfter(AcmeException e, CertificateAuthority ca) {
    if (e instanceof AcmeRateLimitedException limited) {
      return limited.getRetryAfter();
    }
    return e instanceof AcmeNetworkException ? Optional.empty() : ca.retryAfterOfLastError();
  }

  /** The CA's error type and what it said, e.g. {@code urn:ietf:params:acme:error:rateLimited: too many ...}. */
  static String problem(AcmeException e) {
    if (e instanceof AcmeServerException server) {
      return server.getType() + server.getProblem().getDetail().map(detail -> ": " + detail).orElse("");
    }
    if (e instanceof AcmeNetworkException) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return "the CA cannot be reached (" + cause.getClass().getSimpleName()
          + (cause.getMessage() != null ? ": " + cause.getMessage() : "") + ")";
    }
    return e.getMessage();
  }

  private static void sayOnce(AcmeState state, String line) {
    if (state.isNews(line)) {
      say(line);
    }
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
