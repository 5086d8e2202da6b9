package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.hostharness.SelfSignedCertificate;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the app answers to requests a browser never sends, over raw sockets so nothing between the test and the app
 * tidies them up: HTTP/2 in clear text, requests without a sound head or framing, TLS versions and suites it refuses.
 */
@Tag("emulator")
@ExtendWith(VertxExtension.class)
class ProtocolHygieneTest {
  @TempDir static Path certDir;
  private static SelfSignedCertificate cert;
  private HelloVerticle verticle;

  @BeforeAll
  static void makeCertificate() throws Exception {
    cert = TestCertificate.createRsa(certDir);
  }

  @BeforeEach
  void deploy(Vertx vertx) {
    Config config = Config.fromEnv(Map.of("HTTP_PORT", "0", "HTTPS_PORT", "0",
        "TLS_CERT_FILE", cert.certFile().toString(), "TLS_KEY_FILE", cert.keyFile().toString()));
    verticle = new HelloVerticle(config, config.https().map(Config::readKeyCert), new Connections(100));
    vertx.deployVerticle(verticle).await();
  }

  /** An HTTP/2 server would answer the preface with a binary SETTINGS frame; this one refuses it in text. */
  @Test
  void http2WithPriorKnowledgeIsRefusedInHttp1() throws Exception {
    String answer = new String(exchange("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").readAllBytes(), StandardCharsets.ISO_8859_1);

    assertThat(answer).matches("(?s)HTTP/[0-9.]+ [45]\\d\\d [A-Za-z ]+\r\n.*");
  }

  @Test
  void anUpgradeToH2cIsIgnored() throws Exception {
    RawResponse response = RawResponse.read(exchange("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, "
        + "HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers()).doesNotContainKey("upgrade");
  }

  /** RFC 9112 6.3: no length a proxy and the app would agree on, so 400 and the connection closed. */
  @ParameterizedTest
  @ValueSource(strings = {
      "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n"})
  void ambiguousFramingIsA400AndTheConnectionCloses(String request) throws Exception {
    InputStream in = exchange(request);

    RawResponse response = RawResponse.read(in);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.closes()).isTrue();
    assertThat(in.read()).as("nothing after the 400: the connection is closed").isEqualTo(-1);
  }

  @Test
  void aChunkedBodyAloneIsFramedFine() throws Exception {
    RawResponse response = RawResponse.read(
        exchange("POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));

    assertThat(response.status()).isEqualTo(405);
  }

  /** Each error carries the security headers of a 200. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GET /nope HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n                  | 404",
      "POST / HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Length: 0\\r\\n\\r\\n | 405",
      "GET / HTTP/1.1\\r\\n\\r\\n                                           | 400",
      "GET /%zz HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n                   | 400",
      "GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n                   | 400"})
  void errorsCarryTheSecurityHeadersOfA200(String request, int status) throws Exception {
    RawResponse ok = RawResponse.read(exchange("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    RawResponse error = RawResponse.read(exchange(request.replace("\\r\\n", "\r\n")));

    assertThat(error.status()).isEqualTo(status);
    assertThat(ok.headers()).containsEntry("x-content-type-options", "nosniff");
    assertThat(error.headers()).containsEntry("x-content-type-options", ok.headers().get("x-content-type-options"));
  }

  @Test
  void tls13AndTls12WithEcdheAndAeadAreAccepted() throws Exception {
    assertThat(handshake("TLSv1.3", "TLS_AES_128_GCM_SHA256")).isEqualTo("TLS_AES_128_GCM_SHA256");
    assertThat(handshake("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
        .isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    assertThat(handshake("TLSv1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"))
        .isEqualTo("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
  }

  /**
   * With an RSA certificate, suites the JDK's server would otherwise agree on: CBC ones, static RSA key exchange and
   * DHE (no forward secrecy, or not ECDHE). The client offers only the one suite, so the handshake fails.
   */
  @ParameterizedTest
  @ValueSource(strings = {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
      "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"})
  void tls12SuitesWithoutEcdheOrAeadFailTheHandshake(String suite) {
    assertThatThrownBy(() -> handshake("TLSv1.2", suite)).isInstanceOf(SSLHandshakeException.class);
  }

  /** Sends raw bytes on a new connection; returns the stream of what the app answers. */
  private InputStream exchange(String request) throws Exception {
    Socket socket = new Socket("127.0.0.1", verticle.httpPort());
    socket.setSoTimeout(30_000);
    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    return new BufferedInputStream(socket.getInputStream());
  }

  /** A handshake offering only {@code protocol} and {@code suite}; returns the suite agreed on. */
  private String handshake(String protocol, String suite) throws Exception {
    return handshake(TestTrust.trusting(cert.certFile()), verticle.httpsPort(), protocol, suite);
  }

  /** A handshake with the server on {@code port} offering only {@code protocol} and {@code suite}; the suite agreed. */
  static String handshake(SSLContext trust, int port, String protocol, String suite) throws Exception {
    try (SSLSocket socket = TestTrust.connect(trust, port)) {
      socket.setEnabledProtocols(new String[] {protocol});
      socket.setEnabledCipherSuites(new String[] {suite});
      socket.startHandshake();
      return socket.getSession().getCipherSuite();
    }
  }
}
