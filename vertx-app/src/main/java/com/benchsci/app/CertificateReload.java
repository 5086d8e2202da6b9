package com.benchsci.app;

import io.vertx.core.Future;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Swaps a new certificate into the running HTTPS listener, without a restart and without a failed request: every
 * {@link #PERIOD_SECONDS} a thread of its own looks at TLS_CERT_FILE and TLS_KEY_FILE, and when either has been
 * replaced it reads both and, if the key is the certificate's, hands them to the listener, whose new connections use
 * them from then on (connections already open keep theirs). The ACME service (com.benchsci.acme) replaces the files
 * one after the other, each by a rename; a certificate seen beside the other's key is skipped until its partner
 * arrives. A pair that cannot be used is reported once, and the listener keeps the certificate it has.
 */
final class CertificateReload {
  static final int PERIOD_SECONDS = 2;
  private static final long UPDATE_WAIT_SECONDS = 10;

  private final Config.Https https;
  private final Function<PemKeyCertOptions, List<Future<Boolean>>> listeners;
  private List<Object> lastSeen;
  private List<Object> lastReported;

  /**
   * @param listeners takes a certificate and key to every HTTPS listener, returning when each has them
   */
  private CertificateReload(Config.Https https, Function<PemKeyCertOptions, List<Future<Boolean>>> listeners) {
    this.https = https;
    this.listeners = listeners;
    this.lastSeen = files();
  }

  /** Starts watching the files {@code https} names; the files as they are now are the ones being served. */
  static void start(Config.Https https, Function<PemKeyCertOptions, List<Future<Boolean>>> listeners) {
    CertificateReload reload = new CertificateReload(https, listeners);
    ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread t = new Thread(task, "certificate-reload");
      t.setDaemon(true);
      return t;
    });
    thread.scheduleWithFixedDelay(reload::check, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
  }

  /** One look at the files; swaps them in when both changed into a usable pair. */
  void check() {
    List<Object> now = files();
    if (now.equals(lastSeen)) {
      return;
    }
    try {
      PemKeyCertOptions keyCert = Config.readKeyCert(https);
      X509Certificate certificate = keyOfCertificate(keyCert);
      for (Future<Boolean> listener : listeners.apply(keyCert)) {
        listener.toCompletionStage().toCompletableFuture().get(UPDATE_WAIT_SECONDS, TimeUnit.SECONDS);
      }
      lastSeen = now;
      Stdout.get().event("certificate reloaded from " + https.certFile() + ": " + describe(certificate));
    } catch (KeyMismatch | Config.ConfigException | GeneralSecurityException e) {
      // A mismatch is usually a pair half replaced, whose partner comes within moments: looked at again next time.
      report(now, e.getMessage());
    } catch (Exception e) {
      report(now, "the listener refused it: " + e);
    }
  }

  private void report(List<Object> files, String problem) {
    if (!files.equals(lastReported)) {
      lastReported = files;
      Stdout.get().event("certificate not reloaded, still serving the previous one: " + problem);
    }
  }

  /**
   * What identifies each file's present version: a rename gives it a new inode, a rewrite a new time or size. A file
   * that cannot be read now (missing for a moment) is a version too; the read then reports it.
   */
  private List<Object> files() {
    return List.of(version(https.certFile()), version(https.keyFile()));
  }

  private static Object version(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
    } catch (IOException e) {
      return e.toString();
    }
  }

  /**
   * The certificate (the first of the chain) after proving the key belongs to it: the key signs random bytes and the
   * certificate's public key verifies them. The key must be PKCS#8 ("BEGIN PRIVATE KEY"), as the ACME service writes.
   */
  private X509Certificate keyOfCertificate(PemKeyCertOptions keyCert) throws GeneralSecurityException, KeyMismatch {
    X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(keyCert.getCertValue().getBytes()));
    String algorithm = certificate.getPublicKey().getAlgorithm();
    String pem = keyCert.getKeyValue().toString();
    if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new GeneralSecurityException("TLS_KEY_FILE=" + https.keyFile() + " is not a PKCS#8 key (BEGIN PRIVATE KEY)");
    }
    String base64 = pem.replaceAll("(?s).*-----BEGIN PRIVATE KEY-----|-----END PRIVATE KEY-----.*|\\s", "");
    PrivateKey key;
    try {
      key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new KeyMismatch("TLS_KEY_FILE=" + https.keyFile() + " holds no " + algorithm + " key for TLS_CERT_FILE="
          + https.certFile());
    }
    String signing = algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    Signature sign = Signature.getInstance(signing);
    sign.initSign(key);
    sign.update(challenge);
    byte[] signature = sign.sign();
    Signature verify = Signature.getInstance(signing);
    verify.initVerify(certificate.getPublicKey());
    verify.update(challenge);
    if (!verify.verify(signature)) {
      throw new KeyMismatch("TLS_KEY_FILE=" + https.keyFile() + " is not the key of TLS_CERT_FILE=" + https.certFile());
    }
    return certificate;
  }

  /** e.g. {@code for [203.0.113.7], issued by CN=YE1,O=Let's Encrypt,C=US, valid until 2026-05-01T10:00:00Z} */
  private static String describe(X509Certificate certificate) throws CertificateParsingException {
    List<Object> names = new ArrayList<>();
    Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
    if (alternatives != null) {
      alternatives.forEach(name -> names.add(name.get(1)));
    }
    return "for " + names + ", issued by " + certificate.getIssuerX500Principal().getName() + ", valid until "
        + certificate.getNotAfter().toInstant();
  }

  /** The key and the certificate do not belong together (yet). */
  private static final class KeyMismatch extends Exception {
    KeyMismatch(String message) {
      super(message, null, false, false);
    }
  }
}
