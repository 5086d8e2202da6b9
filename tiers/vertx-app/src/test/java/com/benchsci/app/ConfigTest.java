package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.hostharness.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("emulator")
class ConfigTest {
  @TempDir static Path certDir;
  private static SelfSignedCertificate cert;

  @BeforeAll
  static void makeCertificate() throws Exception {
    cert = TestCertificate.create(certDir);
  }

  @Test
  void defaultsToHttpOn8080Only() {
    assertThat(Config.fromEnv(Map.of())).isEqualTo(new Config(8080, Optional.empty()));
  }

  @Test
  void emptyValuesCountAsUnset() {
    assertThat(Config.fromEnv(Map.of("HTTP_PORT", " ", "HTTPS_PORT", "", "TLS_CERT_FILE", "")))
        .isEqualTo(new Config(8080, Optional.empty()));
  }

  @Test
  void readsPortsAndCertificatePaths() {
    Config config = Config.fromEnv(Map.of("HTTP_PORT", "80", "HTTPS_PORT", "443",
        "TLS_CERT_FILE", "/etc/hello/tls/cert.pem", "TLS_KEY_FILE", "/etc/hello/tls/key.pem"));

    assertThat(config).isEqualTo(new Config(80, Optional.of(
        new Config.Https(443, Path.of("/etc/hello/tls/cert.pem"), Path.of("/etc/hello/tls/key.pem")))));
  }

  @Test
  void readsTheAcmeChallengeDirectoryWithOrWithoutHttps() {
    assertThat(Config.fromEnv(Map.of("ACME_CHALLENGE_DIR", "/var/lib/hello-acme/challenges")).acmeChallenges())
        .contains(Path.of("/var/lib/hello-acme/challenges"));
    assertThat(Config.fromEnv(Map.of("ACME_CHALLENGE_DIR", "/c", "TLS_CERT_FILE", "c.pem", "TLS_KEY_FILE", "k.pem"))
        .acmeChallenges()).contains(Path.of("/c"));
    assertThat(Config.fromEnv(Map.of()).acmeChallenges()).isEmpty();
  }

  @Test
  void httpsPortDefaultsTo8443WhenACertificateIsConfigured() {
    Config config = Config.fromEnv(Map.of("TLS_CERT_FILE", "c.pem", "TLS_KEY_FILE", "k.pem"));

    assertThat(config.https()).map(Config.Https::port).contains(8443);
  }

  @Test
  void rejectsAPortThatIsNotAPortNamingTheVariableAndValue() {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("HTTP_PORT", "http")))
        .hasMessage("HTTP_PORT must be a port number from 0 to 65535, got 'http'");
    assertThatThrownBy(() -> Config.fromEnv(Map.of("HTTP_PORT", "65536")))
        .hasMessageContaining("got '65536'");
  }

  @Test
  void readsTheLimits() {
    Config config = Config.fromEnv(Map.of("MAX_CONNECTIONS", "50", "REQUEST_TIMEOUT_SECONDS", "3", "DRAIN_SECONDS", "0"));

    assertThat(config.limits()).isEqualTo(new Config.Limits(50, 3, 0));
    assertThat(Config.fromEnv(Map.of()).limits()).isEqualTo(Config.Limits.DEFAULT);
  }

  @Test
  void rejectsALimitThatIsNotANumberOrTooSmallNamingTheVariableAndValue() {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("MAX_CONNECTIONS", "lots")))
        .hasMessage("MAX_CONNECTIONS must be a whole number of at least 1, got 'lots'");
    assertThatThrownBy(() -> Config.fromEnv(Map.of("REQUEST_TIMEOUT_SECONDS", "0")))
        .hasMessage("REQUEST_TIMEOUT_SECONDS must be a whole number of at least 1, got '0'");
    assertThatThrownBy(() -> Config.fromEnv(Map.of("DRAIN_SECONDS", "-1")))
        .hasMessage("DRAIN_SECONDS must be a whole number of at least 0, got '-1'");
  }

  @Test
  void rejectsHalfATlsConfiguration() {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("TLS_CERT_FILE", "c.pem")))
        .hasMessage("TLS_CERT_FILE is set but TLS_KEY_FILE is not: HTTPS needs both");
    assertThatThrownBy(() -> Config.fromEnv(Map.of("HTTPS_PORT", "443")))
        .hasMessage("HTTPS_PORT is set but TLS_CERT_FILE and TLS_KEY_FILE are not: HTTPS needs both");
  }

  @Test
  void aMissingCertificateFileIsNamed(@TempDir Path dir) {
    Config.Https https = new Config.Https(443, dir.resolve("absent.pem"), dir.resolve("key.pem"));

    assertThatThrownBy(() -> Config.readKeyCert(https))
        .hasMessage("TLS_CERT_FILE=" + dir.resolve("absent.pem") + ": no such file");
  }

  @Test
  void aKeyFileWithoutAPemKeyIsNamed() {
    // A certificate where the key should be: a classic mix-up.
    Config.Https https = new Config.Https(443, cert.certFile(), cert.certFile());

    assertThatThrownBy(() -> Config.readKeyCert(https))
        .hasMessage("TLS_KEY_FILE=" + cert.certFile() + ": not PEM, expected a block ending in PRIVATE KEY-----");
  }

  @Test
  void readsAPemCertificateAndKey() throws Exception {
    var options = Config.readKeyCert(new Config.Https(443, cert.certFile(), cert.keyFile()));

    assertThat(options.getCertValues()).singleElement().asString().isEqualTo(Files.readString(cert.certFile()));
    assertThat(options.getKeyValues()).singleElement().asString().isEqualTo(Files.readString(cert.keyFile()));
  }
}
