package com.benchsci.acme;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.OrderBuilder;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.exception.AcmeUserActionRequiredException;

/**
 * The CA, through acme4j (RFC 8555): the account, whose key is kept in the state directory (0600, made on first use,
 * registered with the CA's terms agreed to); orders for an IP identifier, with the CA's {@value #PROFILE} profile
 * where it offers one (Let's Encrypt issues IP certificates only with it), answered with http-01 through
 * {@link ChallengeFiles}; and the CA's renewal information for a certificate (RFC 9773).
 */
final class CertificateAuthority {
  static final String PROFILE = "shortlived";
  private static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration VALIDATION_WAIT = Duration.ofMinutes(2);
  private static final Duration ISSUANCE_WAIT = Duration.ofMinutes(2);
  // When the CA sends no Retry-After with its renewal information, ask again this much later.
  private static final Duration RENEWAL_INFO_RECHECK = Duration.ofHours(6);

  private final URI directory;
  private final Optional<String> email;
  private final Path accountKeyFile;
  private final ChallengeFiles challenges;
  private final RetryAfterProvider provider = new RetryAfterProvider();
  private final Session session;
  private Login login;

  /**
   * A new certificate: its key, its chain, the profile it was ordered with, and the CA's refusal of the order as a
   * renewal of the certificate it replaces, where the CA refused that and the order was made without it.
   */
  record Issuance(KeyPair key, List<X509Certificate> chain, Optional<String> profile,
      Optional<AcmeServerException> replacesRefused) {}

  CertificateAuthority(URI directory, Optional<String> email, Path accountKeyFile, ChallengeFiles challenges) {
    this.directory = directory;
    this.email = email;
    this.accountKeyFile = accountKeyFile;
    this.challenges = challenges;
    this.session = new Session(directory, provider);
    session.networkSettings().setTimeout(NETWORK_TIMEOUT);
  }

  URI directory() {
    return directory;
  }

  /** The Retry-After of the CA's last error response, if it sent one. */
  Optional<Instant> retryAfterOfLastError() {
    return provider.retryAfterOfLastError();
  }

  /**
   * Orders a certificate for {@code ip} and answers its http-01 challenge; {@code replacing} names the certificate it
   * renews, where the CA takes that (RFC 9773 section 5: Let's Encrypt then exempts the order from its rate limits);
   * where it refuses that, the order is made without it.
   */
  Issuance order(InetAddress ip, Optional<X509Certificate> replacing)
      throws AcmeException, IOException, GeneralSecurityException, InterruptedException {
    Optional<String> profile = session.getMetadata().isProfileAllowed(PROFILE) ? Optional.of(PROFILE)
        : Optional.empty();
    Optional<X509Certificate> replaces = replacing.isPresent() && offersRenewalInfo() ? replacing : Optional.empty();
    Optional<AcmeServerException> replacesRefused = Optional.empty();
    Order order;
    try {
      order = newOrder(ip, profile, replaces).create();
    } catch (AcmeServerException e) {
      // The CA may refuse `replaces` (RFC 9773 section 5): alreadyReplaced when an earlier order names the same
      // certificate (a run killed after the CA issued, before it wrote the files), or another problem when it cannot
      // match the certificate. Kept, that refusal would fail every run until the certificate lapses; `replaces` only
      // buys an exemption from rate limits, so the order is made again without it. A rate limit is not about
      // `replaces`: without it the order would only count against more limits.
      if (replaces.isEmpty() || e instanceof AcmeRateLimitedException
          || e instanceof AcmeUserActionRequiredException) {
        throw e;
      }
      replacesRefused = Optional.of(e);
      order = newOrder(ip, profile, Optional.empty()).create();
    }
    for (Authorization authorization : order.getAuthorizations()) {
      if (authorization.getStatus() == Status.PENDING) {
        answer(authorization);
      }
    }
    order.waitUntilReady(VALIDATION_WAIT);
    KeyPair key = Keys.newKeyPair();
    order.execute(key);
    if (order.waitForCompletion(ISSUANCE_WAIT) != Status.VALID) {
      throw refused(order.getError(), "the CA did not issue the certificate (order " + order.getStatus() + ")");
    }
    return new Issuance(key, order.getCertificate().getCertificateChain(), profile, replacesRefused);
  }

  private OrderBuilder newOrder(InetAddress ip, Optional<String> profile, Optional<X509Certificate> replaces)
      throws AcmeException, IOException, GeneralSecurityException {
    OrderBuilder builder = login().newOrder().identifier(Identifier.ip(ip));
    profile.ifPresent(builder::profile);
    replaces.ifPresent(builder::replaces);
    return builder;
  }

  /**
   * The CA's suggested renewal window for {@code certificate} and when to ask again (its Retry-After); no window
   * where the CA publishes no renewal information.
   */
  RenewalInfo renewalInfo(X509Certificate certificate, Instant now)
      throws AcmeException, IOException, GeneralSecurityException {
    if (!offersRenewalInfo()) {
      return new RenewalInfo(Optional.empty(), now.plus(RENEWAL_INFO_RECHECK));
    }
    org.shredzone.acme4j.RenewalInfo info = login().bindRenewalInfo(certificate);
    Instant again = info.fetch().orElse(now.plus(RENEWAL_INFO_RECHECK));
    return new RenewalInfo(Optional.of(new Renewal.Window(info.getSuggestedWindowStart(),
        info.getSuggestedWindowEnd())), again.isAfter(now) ? again : now.plus(RENEWAL_INFO_RECHECK));
  }

  /** The CA's renewal window (none where it publishes no renewal information) and when to fetch it again. */
  record RenewalInfo(Optional<Renewal.Window> window, Instant nextCheck) {}

  private boolean offersRenewalInfo() throws AcmeException {
    return session.resourceUrlOptional(Resource.RENEWAL_INFO).isPresent();
  }

  /** Puts the answer where the app serves it, asks the CA to check it, and removes it once the CA has decided. */
  private void answer(Authorization authorization) throws AcmeException, IOException, InterruptedException {
    String identifier = authorization.getIdentifier().getValue();
    Http01Challenge challenge = authorization.findChallenge(Http01Challenge.class)
        .orElseThrow(() -> new AcmeException("the CA offers no http-01 challenge for " + identifier));
    challenges.put(challenge.getToken(), challenge.getAuthorization());
    try {
      challenge.trigger();
      if (authorization.waitForCompletion(VALIDATION_WAIT) != Status.VALID) {
        throw refused(challenge.getError(), "the CA did not accept the http-01 answer for " + identifier);
      }
    } finally {
      challenges.remove(challenge.getToken());
    }
  }

  /** The CA's problem document as an error naming its type, where it sent one. */
  private static AcmeException refused(Optional<Problem> problem, String otherwise) {
    return problem.<AcmeException>map(AcmeServerException::new).orElseGet(() -> new AcmeException(otherwise));
  }

  /** The account, registered on first use: the CA answers an existing account's key with that account. */
  private Login login() throws AcmeException, IOException, GeneralSecurityException {
    if (login == null) {
      AccountBuilder account = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey());
      email.ifPresent(account::addEmail);
      login = account.createLogin(session);
    }
    return login;
  }

  /** The account's key pair, made and kept (0600) before the CA first sees it, so a crash cannot lose it. */
  private KeyPair accountKey() throws IOException, GeneralSecurityException {
    if (Files.exists(accountKeyFile)) {
      return Pem.readKeyPair(accountKeyFile);
    }
    KeyPair key = Keys.newKeyPair();
    AtomicFile.write(accountKeyFile, Pem.keyPair(key), AtomicFile.PRIVATE);
    return key;
  }
}
