package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.acme.AcmeMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ACME client as the hello-acme service starts it, with settings it cannot work with: one line, exit 1. */
@Tag("emulator")
class AcmeMainProcessTest {
  @RegisterExtension final AppProcesses processes = new AppProcesses();
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ACME_DIRECTORY | http://ca.example/dir | ACME_DIRECTORY must be the https URL of an ACME directory, or empty, got 'http://ca.example/dir'",
      "ACME_EMAIL     | ops                   | ACME_EMAIL must be an e-mail address, got 'ops'",
      "ACME_IP        | hello.example         | ACME_IP must be an IPv4 or IPv6 address, got 'hello.example'"})
  void aBadSettingIsOneLineNamingIt(String variable, String value, String message) throws Exception {
    assertThat(run(Map.of(variable, value), "renew")).isEqualTo("hello-acme: " + message);
  }

  @Test
  void aMissingStateDirectoryIsNamed() throws Exception {
    Path missing = dir.resolve("missing");

    assertThat(run(Map.of("ACME_STATE_DIR", missing.toString()), "fallback"))
        .isEqualTo("hello-acme: ACME_STATE_DIR=" + missing + " is not a directory");
  }

  @Test
  void anUnknownVerbIsTheUsage() throws Exception {
    assertThat(run(Map.of(), "order")).isEqualTo("hello-acme: usage: AcmeMain renew|fallback|first-boot");
  }

  /** Runs the client with valid settings but {@code changed}; requires exit 1 and returns its stderr. */
  private String run(Map<String, String> changed, String verb) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("TLS_CERT_FILE", dir.resolve("cert.pem").toString(),
        "TLS_KEY_FILE", dir.resolve("key.pem").toString(), "ACME_CHALLENGE_DIR", dir.toString(),
        "ACME_STATE_DIR", dir.toString(), "ACME_IP", "127.0.0.1"));
    env.putAll(changed);
    Process run = processes.start(JavaCommand.process(JavaCommand.of(AcmeMain.class, verb), env));
    run.getOutputStream().close();
    String stderr = new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(run.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(run.exitValue()).isEqualTo(1);
    assertThat(run.getInputStream().readAllBytes()).isEmpty();
    return stderr;
  }
}
