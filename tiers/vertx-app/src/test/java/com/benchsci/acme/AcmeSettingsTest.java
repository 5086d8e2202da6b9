package com.benchsci.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's settings as hello.env gives them, and a one-line error naming the variable for a bad one. */
class AcmeSettingsTest {
  private static final Map<String, String> HOST = Map.of(
      "ACME_DIRECTORY", "https://acme-v02.api.letsencrypt.org/directory", "ACME_EMAIL", "ops@example.com",
      "TLS_CERT_FILE", "/etc/hello/tls/cert.pem", "TLS_KEY_FILE", "/etc/hello/tls/key.pem",
      "ACME_CHALLENGE_DIR", "/run/hello-acme", "ACME_STATE_DIR", "/var/lib/hello-acme");

  @Test
  void readsTheHostsSettings() {
    AcmeSettings settings = AcmeSettings.fromEnv(HOST);

    assertThat(settings).isEqualTo(new AcmeSettings(
        Optional.of(URI.create("https://acme-v02.api.letsencrypt.org/directory")), Optional.of("ops@example.com"),
        Path.of("/etc/hello/tls/cert.pem"), Path.of("/etc/hello/tls/key.pem"), Path.of("/run/hello-acme"),
        Path.of("/var/lib/hello-acme"), Optional.empty(), URI.create("http://169.254.169.254")));
  }

  @Test
  void anEmptyDirectoryOrEmailMeansNone() {
    AcmeSettings settings = AcmeSettings.fromEnv(with("ACME_DIRECTORY", "", "ACME_EMAIL", ""));

    assertThat(settings.directory()).isEmpty();
    assertThat(settings.email()).isEmpty();
  }

  @Test
  void anAddressAndAnImdsEndpointMayBeGiven() throws Exception {
    AcmeSettings settings = AcmeSettings.fromEnv(with("ACME_IP", "2001:db8::7",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:5000"));

    assertThat(settings.address()).contains(InetAddress.getByName("2001:db8::7"));
    assertThat(settings.imds()).isEqualTo(URI.create("http://127.0.0.1:5000"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://acme.example/directory", "acme-v02.api.letsencrypt.org", "https://"})
  void aDirectoryThatIsNotAnHttpsUrlIsNamed(String directory) {
    assertThatThrownBy(() -> AcmeSettings.fromEnv(with("ACME_DIRECTORY", directory)))
        .hasMessage("ACME_DIRECTORY must be the https URL of an ACME directory, or empty, got '" + directory + "'");
  }

  @Test
  void otherBadValuesAreNamed() {
    assertThatThrownBy(() -> AcmeSettings.fromEnv(with("ACME_EMAIL", "ops")))
        .hasMessage("ACME_EMAIL must be an e-mail address, got 'ops'");
    assertThatThrownBy(() -> AcmeSettings.fromEnv(with("ACME_IP", "hello.example")))
        .hasMessage("ACME_IP must be an IPv4 or IPv6 address, got 'hello.example'");
    Map<String, String> noState = new HashMap<>(HOST);
    noState.remove("ACME_STATE_DIR");
    assertThatThrownBy(() -> AcmeSettings.fromEnv(noState)).hasMessage("ACME_STATE_DIR is not set");
  }

  private static Map<String, String> with(String... pairs) {
    Map<String, String> env = new HashMap<>(HOST);
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }
}
