package com.benchsci.app;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.List;
import java.util.Set;

/**
 * The app's TLS: TLS 1.3, and TLS 1.2 only with ECDHE key exchange (forward secrecy) and AEAD ciphers (GCM,
 * ChaCha20-Poly1305), no static RSA, no CBC; no renegotiation a client asks for. The same options serve the start and
 * every certificate swapped in later ({@link CertificateReload}), since a swap replaces all of them.
 */
final class Tls {
  // TLS 1.3's three suites, then TLS 1.2's ECDHE ones with an AEAD cipher, for EC and RSA certificates.
  private static final List<String> CIPHER_SUITES = List.of(
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", // TLS 1.3
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private Tls() {}

  /**
   * A TLS 1.2 client may not renegotiate: each renegotiation costs the server a full handshake, so a client that keeps
   * asking is a cheap denial of service. The JDK's TLS reads this property once, when its first server handshake
   * starts, so {@link Main} sets it before anything else (TLS 1.3 has no renegotiation at all).
   */
  static void refuseClientRenegotiation() {
    System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
  }

  /** The server's TLS options with {@code keyCert} as its certificate and key. */
  static ServerSSLOptions options(KeyCertOptions keyCert) {
    ServerSSLOptions options = new ServerSSLOptions()
        .setKeyCertOptions(keyCert)
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"));
    CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }

  /** {@code server} listening with TLS as {@link #options} says. HTTP/1.1 only, as in clear text. */
  static HttpServerOptions onServer(HttpServerOptions server, KeyCertOptions keyCert) {
    ServerSSLOptions tls = options(keyCert);
    server.setSsl(true).setKeyCertOptions(tls.getKeyCertOptions())
        .setEnabledSecureTransportProtocols(tls.getEnabledSecureTransportProtocols());
    tls.getEnabledCipherSuites().forEach(server::addEnabledCipherSuite);
    return server;
  }
}
