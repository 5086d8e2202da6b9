package com.benchsci.hostharness;

import com.benchsci.deployer.tools.ToolCache;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * Pebble, Let's Encrypt's test ACME server (Debian's package, unpacked by the build's {@link ToolCache}), as a process
 * listening on an address of this machine: loopback for the ACME client's own tests, a {@link TestNetwork}'s machine
 * address for the host tests. Its ACME API and management API listen on ports of their own, served with an
 * {@link #apiCertificate} for that address; it validates http-01 challenges on {@code validationPort} of the address
 * in the order, and issues certificates with a {@code shortlived} profile of the validity asked for. Its root and
 * intermediate are new on every start. It dies with this JVM (parent-death signal). What the tests rely on:
 * docs/https.md, "Tested against Pebble".
 */
public final class Pebble implements AutoCloseable {
  private static final String TRUST_STORE_PASSWORD = "changeit";
  private static final Duration START_LIMIT = Duration.ofSeconds(30);

  private final Process process;
  private final Path dir;
  private final String address;
  private final int port;
  private final int managementPort;
  private final SelfSignedCertificate api;

  private Pebble(Process process, Path dir, String address, int port, int managementPort, SelfSignedCertificate api) {
    this.process = process;
    this.dir = dir;
    this.address = address;
    this.port = port;
    this.managementPort = managementPort;
    this.api = api;
  }

  /**
   * The certificate Pebble serves its APIs with: self-signed for one IP address. Pebbles of one test may share it, so
   * an ACME client trusts them all through one file.
   */
  public static SelfSignedCertificate apiCertificate(Path dir, String ipAddress) {
    try {
      return SelfSignedCertificate.create(dir.resolve("pebble-api.pem"), dir.resolve("pebble-api-key.pem"),
          SelfSignedCertificate.Key.EC, "Pebble API " + ipAddress, new GeneralName(GeneralName.iPAddress, ipAddress));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write Pebble's API certificate in " + dir, e);
    }
  }

  /**
   * Starts a Pebble in {@code dir} on {@code address}, validating http-01 on {@code validationPort} and issuing
   * {@code shortlived} certificates valid for {@code shortlived}.
   */
  public static Pebble start(Path dir, String address, SelfSignedCertificate api, int validationPort,
      Duration shortlived) {
    int port = FreePorts.on(address);
    int managementPort = FreePorts.on(address);
    Path log = dir.resolve("pebble.log");
    try {
      // tlsPort is where tls-alpn-01 would be validated, which the host's client never uses; 443 as on the host.
      Path config = Files.writeString(dir.resolve("pebble-config.json"), """
          {"pebble": {
            "listenAddress": "%s:%d", "managementListenAddress": "%s:%d",
            "certificate": "%s", "privateKey": "%s",
            "httpPort": %d, "tlsPort": 443, "ocspResponderURL": "", "externalAccountBindingRequired": false,
            "retryAfter": {"authz": 1, "order": 1},
            "profiles": {
              "default": {"description": "Pebble's usual 90 days", "validityPeriod": 7776000},
              "shortlived": {"description": "short for the test", "validityPeriod": %d}}}}
          """.formatted(address, port, address, managementPort, api.certFile(), api.keyFile(), validationPort,
          shortlived.toSeconds()));
      ProcessBuilder builder = new ProcessBuilder(List.of("setpriv", "--pdeathsig", "KILL",
          new ToolCache(HarnessTools.cacheRoot()).pebble().toString(), "-config", config.toString()))
          .redirectErrorStream(true).redirectOutput(log.toFile());
      // No random pause before each validation (up to 15 s otherwise).
      builder.environment().put("PEBBLE_VA_NOSLEEP", "1");
      Process process = builder.start();
      Pebble pebble = new Pebble(process, dir, address, port, managementPort, api);
      try {
        NspawnContainer.awaitTrue("Pebble to serve its ACME directory (log: " + log + ")", START_LIMIT, () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("Pebble exited with " + process.exitValue() + ":\n" + pebble.log());
          }
          return pebble.log().contains("ACME directory available at");
        });
      } catch (RuntimeException | Error e) {
        process.destroyForcibly();
        throw e;
      }
      return pebble;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Pebble in " + dir, e);
    }
  }

  public URI directory() {
    return URI.create("https://" + address + ":" + port + "/dir");
  }

  public SelfSignedCertificate api() {
    return api;
  }

  /** This Pebble's root certificate, the one trust anchor of what it issues, written to a PEM file. */
  public Path root() {
    try {
      return Files.writeString(dir.resolve("root.pem"), management(HttpRequest.newBuilder(management("/roots/0"))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write Pebble's root in " + dir, e);
    }
  }

  /** The problem Pebble answers an order whose {@code replaces} it cannot find: {@link #cannotFindAsReplaced}. */
  public static final String REPLACED_NOT_FOUND = "urn:ietf:params:acme:error:serverInternal: could not find an order"
      + " for the given certificate: could not find order resulting in the given certificate serial number";

  /**
   * Whether Pebble (2.10, the tool cache's) fails to find {@code certificate} when a new order names it in
   * {@code replaces}: it files what it issued under the hex of the serial's unsigned bytes (ca/ca.go,
   * {@code cert.SerialNumber.Bytes()}) and looks a CertID up under the hex of the serial bytes as sent
   * (core/types.go, {@code NewCertID}), which RFC 9773 section 4.1 makes the DER integer's, with a leading zero byte
   * where the first bit of the next is set. For such a serial (about one in 256 of Pebble's) it refuses the order
   * with {@link #REPLACED_NOT_FOUND}, as a CA that cannot match the certificate would.
   */
  public static boolean cannotFindAsReplaced(X509Certificate certificate) {
    return certificate.getSerialNumber().toByteArray()[0] == 0;
  }

  /** Makes the CA's renewal information for {@code certificate} suggest the window {@code start} to {@code end}. */
  public void suggestRenewal(X509Certificate certificate, Instant start, Instant end) {
    String pem;
    try {
      pem = SelfSignedCertificate.pem("CERTIFICATE", certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot encode " + certificate.getSubjectX500Principal(), e);
    }
    ObjectMapper json = new ObjectMapper();
    try {
      // The ARI response Pebble is to give, itself JSON (RFC 9773 section 4.2), as a string.
      String window = json.writeValueAsString(Map.of("suggestedWindow", Map.of("start", start.toString(),
          "end", end.toString())));
      management(HttpRequest.newBuilder(management("/set-renewal-info/")).POST(HttpRequest.BodyPublishers.ofString(
          json.writeValueAsString(Map.of("Certificate", pem, "ARIResponse", window)))));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** JVM flags for an ACME client that trusts this Pebble's API, as it trusts a public CA's. */
  public List<String> clientJvmFlags() {
    Path store = dir.resolve("trust.p12");
    try (OutputStream out = Files.newOutputStream(store)) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("pebble", read(api.certFile()));
      trust.store(out, TRUST_STORE_PASSWORD.toCharArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + store, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a trust store of Pebble's API certificate", e);
    }
    return List.of("-Djavax.net.ssl.trustStore=" + store, "-Djavax.net.ssl.trustStoreType=PKCS12",
        "-Djavax.net.ssl.trustStorePassword=" + TRUST_STORE_PASSWORD);
  }

  /** What Pebble printed, for failure messages. */
  public String log() {
    try {
      return Files.readString(dir.resolve("pebble.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no Pebble log: " + e.getMessage() + ")";
    }
  }

  /** Stops it: the CA is gone, as when it cannot be reached. */
  @Override
  public void close() {
    Cmd.stop(process, Duration.ofSeconds(10));
  }

  private URI management(String path) {
    return URI.create("https://" + address + ":" + managementPort + path);
  }

  private String management(HttpRequest.Builder request) {
    try {
      SSLContext trust = SSLContext.getInstance("TLS");
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      anchors.setCertificateEntry("pebble-api", read(api.certFile()));
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      trust.init(null, factory.getTrustManagers(), null);
      HttpResponse<String> response = HttpClient.newBuilder().sslContext(trust).build()
          .send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("Pebble's management API answered " + response.statusCode() + ": "
            + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException("Pebble's management API at " + management("") + " cannot be reached", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking Pebble's management API", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust Pebble's API certificate " + api.certFile(), e);
    }
  }

  static X509Certificate read(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pem, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(pem + " holds no certificate", e);
    }
  }
}
