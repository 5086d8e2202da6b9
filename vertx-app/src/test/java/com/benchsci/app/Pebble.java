package com.benchsci.app;

import com.benchsci.deployer.testing.Tools;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Pebble, Let's Encrypt's test ACME server (the build's tool cache unpacks Debian's package), as a process on
 * loopback: its ACME API and management API on ports of their own, served with a certificate of the test's,
 * validating http-01 challenges on {@code validationPort} of the address in the order, and issuing certificates with
 * a {@code shortlived} profile of the validity the test asks for. Its root and intermediate are new on every start.
 * What the tests rely on: docs/https.md, "Tested against Pebble".
 */
final class Pebble implements AutoCloseable {
  static final String TRUST_STORE_PASSWORD = "changeit";
  private final Process process;
  private final Path dir;
  private final int port;
  private final int managementPort;
  private final SSLContext trust;

  private Pebble(Process process, Path dir, int port, int managementPort, SSLContext trust) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.managementPort = managementPort;
    this.trust = trust;
  }

  /** A Pebble in {@code dir} serving its APIs with {@code tls} (Pebbles of one test may share it, and one trust). */
  static Pebble start(Path dir, TestCertificate tls, int validationPort, Duration shortlived) throws Exception {
    int port = JavaCommand.freePort();
    int managementPort = JavaCommand.freePort();
    Path config = Files.writeString(dir.resolve("pebble-config.json"), """
        {"pebble": {
          "listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
          "certificate": "%s", "privateKey": "%s",
          "httpPort": %d, "tlsPort": %d, "ocspResponderURL": "", "externalAccountBindingRequired": false,
          "retryAfter": {"authz": 1, "order": 1},
          "profiles": {
            "default": {"description": "Pebble's usual 90 days", "validityPeriod": 7776000},
            "shortlived": {"description": "short for the test", "validityPeriod": %d}}}}
        """.formatted(port, managementPort, tls.certFile(), tls.keyFile(), validationPort, JavaCommand.freePort(),
        shortlived.toSeconds()));
    // No random pause before each validation (up to 15 s otherwise).
    ProcessBuilder builder = new ProcessBuilder(List.of(Tools.cache().pebble().toString(), "-config",
        config.toString())).redirectErrorStream(true);
    builder.environment().put("PEBBLE_VA_NOSLEEP", "1");
    Process process = builder.start();
    ProcessLines log = new ProcessLines(process.getInputStream());
    for (String line = log.next(); line == null || !line.contains("ACME directory available at"); line = log.next()) {
      if (line == null) {
        process.destroyForcibly();
        throw new IllegalStateException("Pebble did not start within 30 s");
      }
    }
    Pebble pebble = new Pebble(process, dir, port, managementPort, TestTrust.trusting(tls.certFile()));
    pebble.writeTrustStore(tls);
    return pebble;
  }

  URI directory() {
    return URI.create("https://127.0.0.1:" + port + "/dir");
  }

  /** A PKCS#12 store trusting Pebble's API certificate, for an ACME client JVM's javax.net.ssl.trustStore. */
  Path trustStore() {
    return dir.resolve("trust.p12");
  }

  /** This Pebble's root certificate, the one trust anchor of what it issues, in a PEM file. */
  Path root() throws Exception {
    return Files.writeString(dir.resolve("root.pem"), management(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + managementPort + "/roots/0"))));
  }

  /** Makes the CA's renewal information for {@code certificate} suggest the window from {@code start} to {@code end}. */
  void suggestRenewal(X509Certificate certificate, Instant start, Instant end) throws Exception {
    String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getEncoder().encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
    String window = "{\"suggestedWindow\": {\"start\": \"" + start + "\", \"end\": \"" + end + "\"}}";
    management(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + managementPort + "/set-renewal-info/"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"Certificate\": " + quoted(pem) + ", \"ARIResponse\": "
            + quoted(window) + "}")));
  }

  /** A JSON string. */
  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  /** JVM flags for an ACME client that trusts this Pebble's API, as it trusts a public CA's. */
  List<String> clientJvmFlags() {
    return List.of("-Djavax.net.ssl.trustStore=" + trustStore(), "-Djavax.net.ssl.trustStoreType=PKCS12",
        "-Djavax.net.ssl.trustStorePassword=" + TRUST_STORE_PASSWORD);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  private String management(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newBuilder().sslContext(trust).build()
        .send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("Pebble's management API answered " + response.statusCode() + ": "
          + response.body());
    }
    return response.body();
  }

  private void writeTrustStore(TestCertificate tls) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("pebble", TestTrust.read(tls.certFile()));
    try (OutputStream out = Files.newOutputStream(trustStore())) {
      store.store(out, TRUST_STORE_PASSWORD.toCharArray());
    }
  }
}
