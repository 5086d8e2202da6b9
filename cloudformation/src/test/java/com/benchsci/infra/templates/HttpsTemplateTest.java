package com.benchsci.infra.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.tools.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Trusted HTTPS on the host as stack.yaml sets it up (docs/https.md): the ACME client's service and timer, checked by
 * systemd's own analyzer to the standard of the app's unit; hello.env sharing the TLS pair and the challenge directory
 * between the client and the slots; the cfn-init steps that make a certificate before any slot starts and start the
 * timer only after the rollout; and parameters whose patterns keep what reaches hello.env safe for the shell.
 */
@Tag("emulator")
class HttpsTemplateTest {
  private static final Path STACK = Path.of(System.getProperty("repo.root"), "cloudformation", "stack.yaml");
  private static final String[] INIT = {"Resources", "WebServer", "Metadata", "AWS::CloudFormation::Init", "config"};
  private static final double MAX_EXPOSURE = 2.0; // the app's unit's standard (SystemdUnitTest)
  private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)");
  private static final Pattern IGNORED = Pattern.compile("Unknown|ignoring|Failed to parse|Invalid|deprecated",
      Pattern.CASE_INSENSITIVE);

  @TempDir Path dir;

  @Test
  void theServiceAndTimerHaveNoKeySystemdWouldIgnore() throws IOException {
    Path service = write("hello-acme.service", file("/etc/systemd/system/hello-acme.service"));
    Path timer = write("hello-acme.timer", file("/etc/systemd/system/hello-acme.timer"));

    assertThat(run("systemd-analyze", "verify", service.toString(), timer.toString()).lines()
        .filter(line -> IGNORED.matcher(line).find())).isEmpty();
    // The check can fail: a misspelt key is reported.
    Path misspelt = write("hello-acme.service", file("/etc/systemd/system/hello-acme.service")
        .replace("[Service]\n", "[Service]\nProtectSytem=strict\n"));
    assertThat(run("systemd-analyze", "verify", misspelt.toString())).contains("ProtectSytem");
  }

  @Test
  void theServicesSandboxIsAtTheAppsStandard() throws IOException {
    String unit = file("/etc/systemd/system/hello-acme.service");

    double exposure = exposure(write("hello-acme.service", unit));
    // The same service without its sandbox lines scores above the limit: the score is the sandbox's.
    double bare = exposure(write("hello-acme.service", unit.lines()
        .filter(line -> !line.matches("(Protect|Private|Restrict|SystemCall|Capability|NoNewPrivileges|UMask"
            + "|LockPersonality|DevicePolicy|KeyringMode|RemoveIPC|ProcSubset).*"))
        .reduce("", (text, line) -> text + line + "\n")));

    System.out.printf("hello-acme.service exposure level (systemd-analyze security --offline=true): %.1f%n", exposure);
    assertThat(exposure).isLessThanOrEqualTo(MAX_EXPOSURE);
    assertThat(bare).isGreaterThan(MAX_EXPOSURE);
  }

  @Test
  void theServiceRunsTheAcmeClientAsItsOwnUserWithoutCapabilities() {
    assertThat(file("/etc/systemd/system/hello-acme.service").lines()).contains(
        "Type=oneshot", "User=hello-acme", "Group=hello", "EnvironmentFile=/etc/hello/hello.env",
        "ExecStart=/usr/bin/java $JVM_FLAGS -cp /opt/hello/acme/vertx-app.jar com.benchsci.acme.AcmeMain renew",
        "CapabilityBoundingSet=", "StateDirectory=hello-acme", "StateDirectoryMode=0700",
        "RuntimeDirectory=hello-acme", "RuntimeDirectoryMode=0750", "ReadWritePaths=/etc/hello/tls", "UMask=0077");
    assertThat(file("/etc/systemd/system/hello-acme.timer").lines())
        .contains("OnActiveSec=1min", "OnUnitInactiveSec=10min", "WantedBy=timers.target");
  }

  /** hello.env names for the client the directories its unit gives it, and the pair and answers the slots serve. */
  @Test
  void helloEnvSharesTheCertificateAndTheChallengeAnswersWithTheSlots() {
    String env = file("/etc/hello/hello.env");

    assertThat(TemplateNode.at(STACK, path("files", "/etc/hello/hello.env", "content")).getTag().getValue())
        .isEqualTo("!Sub");
    assertThat(env.lines()).contains("TLS_CERT_FILE=/etc/hello/tls/cert.pem", "TLS_KEY_FILE=/etc/hello/tls/key.pem",
        "ACME_DIRECTORY=${AcmeDirectory}", "ACME_EMAIL=${AcmeContactEmail}",
        // RuntimeDirectory=hello-acme and StateDirectory=hello-acme of the unit:
        "ACME_CHALLENGE_DIR=/run/hello-acme", "ACME_STATE_DIR=/var/lib/hello-acme");
  }

  /**
   * Commands run in name order: the client's user, then a certificate without the CA (before hello-rollout starts a
   * slot, which needs one), and the timer, whose runs ask the CA, only after the rollout.
   */
  @Test
  void aCertificateComesBeforeTheRolloutAndTheTimerAfterIt() {
    List<String> commands = ((MappingNode) TemplateNode.at(STACK, path("commands"))).getValue().stream()
        .map(tuple -> ((ScalarNode) tuple.getKeyNode()).getValue()).toList();
    String tls = TemplateNode.text(STACK, path("commands", "01-tls-certificate", "command"));

    assertThat(commands).containsSubsequence("00-hello-acme-user", "00-hello-user", "01-tls-certificate",
        "04-rollout", "05-acme-timer");
    assertThat(commands).isSorted();
    assertThat(tls).contains("install -d -o hello-acme -g hello -m 0750 /etc/hello/tls",
        "install -d -o hello-acme -g hello -m 0700 /var/lib/hello-acme",
        "setpriv --reuid=hello-acme --regid=hello --init-groups",
        "-cp \"$jar\" com.benchsci.acme.AcmeMain \"$verb\"");
    // The client the host runs, which a broken new jar cannot replace: its rollout fails first (HostBootTest).
    assertThat(tls).containsSubsequence("jar=/opt/hello/acme/vertx-app.jar", "jar=/opt/hello/vertx-app.jar");
    assertThat(tls).containsSubsequence("verb=first-boot", "systemctl -q is-enabled \"hello@$slot.service\"",
        "verb=fallback");
    assertThat(TemplateNode.text(STACK, path("commands", "05-acme-timer", "command"))).isEqualTo(
        "install -D -m 0644 /opt/hello/vertx-app.jar /opt/hello/acme/vertx-app.jar &&"
            + " systemctl enable --now hello-acme.timer");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://acme-v02.api.letsencrypt.org/directory",
      "https://acme-staging-v02.api.letsencrypt.org/directory", "https://ca.example:14000/dir", ""})
  void theDirectoryParameterTakesAnHttpsUrlOrNothing(String value) {
    assertThat(value).matches(allowedPattern("AcmeDirectory"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://acme-v02.api.letsencrypt.org/directory", "acme-v02.api.letsencrypt.org",
      "https://ca.example/dir?x=$(reboot)", "https://ca.example/dir\" ; reboot", "https://ca.example/d ir"})
  void theDirectoryParameterRefusesAnythingElse(String value) {
    assertThat(value).doesNotMatch(allowedPattern("AcmeDirectory"));
  }

  @Test
  void theEmailParameterTakesAnAddressOrNothingAndNoShellCharacters() {
    Pattern email = Pattern.compile(allowedPattern("AcmeContactEmail"));

    assertThat(List.of("", "ops@example.com", "first.last+acme@mail.example.co.uk"))
        .allMatch(value -> email.matcher(value).matches());
    assertThat(List.of("ops", "ops@example", "ops@example.com; reboot", "$(reboot)@example.com", "o\"ps@example.com"))
        .noneMatch(value -> email.matcher(value).matches());
    assertThat(TemplateNode.text(STACK, "Parameters", "AcmeDirectory", "Default"))
        .isEqualTo("https://acme-v02.api.letsencrypt.org/directory");
  }

  private static String allowedPattern(String parameter) {
    return TemplateNode.text(STACK, "Parameters", parameter, "AllowedPattern");
  }

  private static String file(String path) {
    return TemplateNode.text(STACK, path("files", path, "content"));
  }

  private static String[] path(String... more) {
    String[] all = new String[INIT.length + more.length];
    System.arraycopy(INIT, 0, all, 0, INIT.length);
    System.arraycopy(more, 0, all, INIT.length, more.length);
    return all;
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private double exposure(Path unit) {
    String output = run("systemd-analyze", "security", "--offline=true", unit.toString());
    Matcher m = EXPOSURE.matcher(output);
    assertThat(m.find()).as("exposure level in:%n%s", output).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** Output (stderr, then stdout) of a systemd tool. */
  private static String run(String... command) {
    return ExternalCommand.run(List.of(command), Duration.ofMinutes(1)).output();
  }
}
