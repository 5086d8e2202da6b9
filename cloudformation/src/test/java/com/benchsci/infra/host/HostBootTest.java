package com.benchsci.infra.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.hostharness.BootedHost;
import com.benchsci.hostharness.CfnInitApplier;
import com.benchsci.hostharness.Chromium;
import com.benchsci.hostharness.Cmd;
import com.benchsci.hostharness.Intrinsics;
import com.benchsci.hostharness.NspawnContainer;
import com.benchsci.hostharness.WrkLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Boots the host that stack.yaml describes under a real systemd: a Debian trixie container (systemd-nspawn, own
 * network namespace) gets the template's own {@code AWS::CloudFormation::Init} content applied by
 * {@link CfnInitApplier}, with the jar this build made, and then has to serve the greeting from one of its two slots
 * with an AOT cache its JVM accepts, start without that cache, survive {@code kill -9}, keep serving under load with
 * no failed request when a broken jar is rolled out through the same cfn-init content, show the greeting in Chromium
 * over HTTP, come back after a reboot, and pass the UserData's own health check. A new jar rolled out under load, and
 * HTTPS with a certificate from a CA, which this host has no way to reach: {@link CfnHupRolloutHostTest}, whose
 * rollout is this same cfn-init content run by cfn-hup's hook (one rollout per build: each trains an AOT cache and
 * serves wrk's load, about 20 s of CPU).
 *
 * <p>Differences from the real host, on purpose and only these: Debian instead of Amazon Linux 2023, Debian's OpenJDK
 * 25 instead of Corretto 25 (see {@link CfnInitApplier#DEBIAN_PACKAGES}), cfn-hup not running (AWS's agent: a rollout
 * here is the cfn-init run its hook would start; {@link CfnHupRolloutHostTest} takes the whole path through cfn-hup),
 * stand-in values for the pseudo parameters and the deployer's parameters ({@link Intrinsics#stub}), and the jar
 * copied from vertx-app/target instead of fetched from S3.
 */
@Tag("host")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostBootTest {

  private static final String GREETING = BootedHost.GREETING;
  private static final List<String> SLOTS = List.of("a", "b");
  private static final String USER = "hello";
  private static final String CERT = "/etc/hello/tls/cert.pem";
  private static final Duration GREETING_DEADLINE = BootedHost.GREETING_DEADLINE;
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

  private final Path repo = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
  private BootedHost booted;
  private NspawnContainer host;
  private Path jar;

  @BeforeAll
  void bootTheTemplatesHost() {
    booted = BootedHost.boot(repo, "HostBootTest");
    host = booted.host();
    jar = booted.jar();
  }

  @AfterAll
  void shutDown() {
    if (booted != null) {
      booted.close();
    }
  }

  @Test
  @Order(1)
  void oneSlotIsEnabledAndActive() {
    assertOneSlotServes("after cfn-init");
  }

  @Test
  @Order(2)
  void httpOnPort80AnswersTheGreeting() {
    Cmd.Result get = host.exec(CHECK_TIMEOUT, "curl", "--silent", "--show-error", "--fail", "--max-time", "5",
        "http://127.0.0.1:80/");
    assertThat(get.ok() && get.out().contains(GREETING))
        .as("GET http://127.0.0.1/ inside the host should answer %s:%n%s%n%s", GREETING, get.describe(), diagnostics())
        .isTrue();
  }

  @Test
  @Order(3)
  void httpsOnPort443ServesTheGeneratedCertificate() {
    // Pin the public key of the certificate cfn-init generated: the TLS handshake must present exactly that one.
    Cmd.Result get = host.sh(CHECK_TIMEOUT, "openssl x509 -pubkey -noout -in " + CERT + " > /run/hello-test-pubkey.pem"
        + " && curl --silent --show-error --fail --max-time 5 --insecure --pinnedpubkey /run/hello-test-pubkey.pem"
        + " https://127.0.0.1:443/");
    assertThat(get.ok() && get.out().contains(GREETING))
        .as("GET https://127.0.0.1/ should answer %s with the certificate in %s:%n%s%n%s", GREETING, CERT,
            get.describe(), diagnostics())
        .isTrue();
  }

  @Test
  @Order(4)
  void theJvmRunsAsTheUnprivilegedUser() {
    assertRunsAsUnprivilegedUser();
  }

  @Test
  @Order(5)
  void userDataHealthCheckPasses() {
    String healthCheck = booted.template().healthCheck();
    Cmd.Result check = host.exec(Duration.ofMinutes(3), "/bin/bash", "-c", healthCheck);
    assertThat(check.ok())
        .as("the UserData's local health check (what cfn-signal reports) should exit 0 inside the host:%n%s%n"
            + "--- the check ---%n%s%n%s", check.describe(), healthCheck, diagnostics())
        .isTrue();
  }

  @Test
  @Order(6)
  void theServingSlotHasAnAotCacheItsJvmAccepts() {
    String slot = servingSlot();
    // AOTMode=on makes the JVM refuse to start unless it can use the cache with this jar: the JVM is the judge.
    Cmd.Result accepted = aotCacheCheck(slot, "/opt/hello/" + slot + "/vertx-app.jar");
    assertThat(accepted.ok()).as("the JVM should accept slot %s's AOT cache, trained by cfn-init:%n%s%n%s", slot,
        accepted.describe(), trainingLog(slot)).isTrue();
    // The same check fails for the same jar with another timestamp (as a new jar would have), so the one above can
    // fail. (A jar at another path with the same size and timestamp is accepted: the JVM allows moved jars.)
    Cmd.Result copied = host.sh(CHECK_TIMEOUT, "cp /opt/hello/" + slot + "/vertx-app.jar /run/hello-other.jar"
        + " && touch -d 2000-01-01 /run/hello-other.jar && chmod 0644 /run/hello-other.jar");
    assertThat(copied.ok()).as(copied.describe()).isTrue();
    Cmd.Result refused = aotCacheCheck(slot, "/run/hello-other.jar");
    assertThat(refused.ok()).as("AOTMode=on with another class path:%n%s", refused.describe()).isFalse();
  }

  @Test
  @Order(7)
  void killMinusNineOfTheJvmBringsTheGreetingBack() {
    long killed = killTheJvm();
    System.out.printf("[host-boot] kill -9 to greeting again: %.2f s%n", seconds(killed));
    assertOneSlotServes("after kill -9");
  }

  @Test
  @Order(8)
  void aMissingOrCorruptAotCacheNeverStopsTheStart() {
    String cache = "/var/lib/hello/" + servingSlot() + "/app.aot";
    Cmd.Result removed = host.exec(CHECK_TIMEOUT, "rm", "-f", cache);
    assertThat(removed.ok()).as(removed.describe()).isTrue();
    killTheJvm();
    assertOneSlotServes("with no AOT cache");

    Cmd.Result corrupted = host.sh(CHECK_TIMEOUT, "head -c 65536 /dev/urandom > " + cache + " && chown hello:hello "
        + cache);
    assertThat(corrupted.ok()).as(corrupted.describe()).isTrue();
    killTheJvm();
    assertOneSlotServes("with a corrupt AOT cache");
  }

  @Test
  @Order(10)
  void aBrokenJarLeavesTheOldOneServingAndFailsCfnInit() throws IOException {
    String before = servingSlot();
    Path broken = Files.writeString(Files.createTempFile("hello-host-broken", ".jar"), "not a jar");
    try {
      WrkLoad.Counts[] counts = underLoad(() -> assertThatThrownBy(() -> booted.cfnInit(broken).applyTo(host))
          .as("cfn-init with a jar that cannot start should fail")
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("commands.04-rollout")
          .hasMessageContaining("hello-rollout: FAILED"));
      assertThat(servingSlot()).as("the old slot should still serve").isEqualTo(before);
      assertOneSlotServes("after a failed rollout");
      assertNoFailedRequest(counts, "during the failed rollout");
    } finally {
      Files.delete(broken);
    }
  }

  @Test
  @Order(11)
  void chromiumShowsTheGreetingOverHttp() {
    // Over HTTPS with a certificate it trusts: CfnHupRolloutHostTest, whose host has a CA.
    String url = "http://127.0.0.1/";
    Path screenshot = repo.resolve("cloudformation/target/host-page-http.png");
    Cmd.Result page = Chromium.trusting(repo.resolve("cloudformation/target/chromium-host-boot"))
        .renderInside(host, url, screenshot);
    assertThat(page.ok() && page.out().contains(GREETING)).as("Chromium's rendered DOM of %s should show %s:%n%s", url,
        GREETING, page.describe()).isTrue();
    assertThat(screenshot).as("Chromium's screenshot of %s", url).isNotEmptyFile();
    System.out.println("[host-boot] Chromium's screenshot of " + url + ": " + screenshot);
  }

  @Test
  @Order(12)
  void aRebootBringsItBack() {
    long rebooting = System.nanoTime();
    host.reboot();
    awaitGreeting("the greeting after systemctl reboot");
    System.out.printf("[host-boot] reboot to greeting: %.1f s%n", seconds(rebooting));
    assertOneSlotServes("after reboot");
    assertRunsAsUnprivilegedUser();
  }

  // ---- steps and checks shared by several tests ----

  /** Runs {@code action} while wrk loads the host with keep-alive and with {@code Connection: close} requests. */
  private WrkLoad.Counts[] underLoad(Runnable action) {
    try (WrkLoad keepAlive = WrkLoad.steady(host, "http://127.0.0.1/", 16);
        WrkLoad close = WrkLoad.steady(host, "http://127.0.0.1/", 4, "Connection: close")) {
      long started = System.nanoTime();
      action.run();
      System.out.printf("[host-boot] cfn-init under load: %.1f s%n", seconds(started));
      return new WrkLoad.Counts[] {keepAlive.stop(), close.stop()};
    }
  }

  private void assertNoFailedRequest(WrkLoad.Counts[] counts, String when) {
    for (WrkLoad.Counts count : counts) {
      System.out.printf("[host-boot] %s: %d failed of %d requests%n", when, count.failed(), count.requests());
      assertThat(count.requests()).as("wrk should have made requests %s:%n%s", when, count.summary()).isPositive();
      assertThat(count.failed()).as("failed requests %s:%n%s%n%s", when, count.summary(), diagnostics()).isZero();
    }
  }

  /** SIGKILL straight to the serving JVM, as an OOM killer or a crash would; returns when the greeting is back. */
  private long killTheJvm() {
    String slot = servingSlot();
    String pid = mainPid(slot);
    // Never kill -9 0: inside the container that still means "my process group", which includes this build.
    assertThat(pid).as("the serving slot should have a main process to kill%n%s", diagnostics())
        .matches("[1-9][0-9]*");
    // The shell's own kill: minbase has no procps.
    Cmd.Result kill = host.sh(CHECK_TIMEOUT, "kill -9 " + pid);
    assertThat(kill.ok()).as("kill -9 %s: %s", pid, kill.describe()).isTrue();
    long killed = System.nanoTime();
    NspawnContainer.awaitTrue("systemd to start a new JVM after kill -9 of " + pid, GREETING_DEADLINE,
        () -> !List.of("0", "", pid).contains(mainPid(slot)));
    awaitGreeting("the greeting after kill -9 of the JVM (systemd's Restart=)");
    return killed;
  }

  private Cmd.Result aotCacheCheck(String slot, String classPath) {
    return host.sh(CHECK_TIMEOUT, "set -a; . /etc/hello/hello.env; set +a; setpriv --reuid=hello --regid=hello"
        + " --init-groups -- java $JVM_FLAGS -XX:AOTMode=on -XX:AOTCache=/var/lib/hello/" + slot + "/app.aot -cp "
        + classPath + " -version");
  }

  private String trainingLog(String slot) {
    return host.exec(CHECK_TIMEOUT, "tail", "-n", "30", "/var/lib/hello/" + slot + "/training.log").describe();
  }

  /**
   * The one enabled slot, once it is the only active one: a slot is active when it told systemd it listens on both
   * ports, which comes a moment after its first 200 on port 80.
   */
  private String servingSlot() {
    List<List<String>> state = new ArrayList<>(List.of(List.of(), List.of()));
    try {
      NspawnContainer.awaitTrue("exactly one slot enabled, and it the only active one", GREETING_DEADLINE, () -> {
        state.set(0, SLOTS.stream().filter(slot -> host.exec(CHECK_TIMEOUT, "systemctl", "is-enabled", unit(slot)).out()
            .strip().equals("enabled")).toList());
        state.set(1, SLOTS.stream().filter(slot -> host.exec(CHECK_TIMEOUT, "systemctl", "is-active", unit(slot)).ok())
            .toList());
        return state.get(0).size() == 1 && state.get(1).equals(state.get(0));
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": enabled " + state.get(0) + ", active " + state.get(1) + "\n"
          + diagnostics(), e);
    }
    return state.get(0).get(0);
  }

  private void assertOneSlotServes(String when) {
    String slot = servingSlot();
    awaitGreeting("the greeting from slot " + slot + " " + when);
  }

  private void assertRunsAsUnprivilegedUser() {
    String pid = mainPid(servingSlot());
    Cmd.Result owner = host.exec(CHECK_TIMEOUT, "stat", "-c", "%U %u", "/proc/" + pid);
    Cmd.Result program = host.exec(CHECK_TIMEOUT, "cat", "/proc/" + pid + "/comm");
    assertThat(program.out().strip()).as("the serving slot's main process should be the JVM%n%s", diagnostics())
        .isEqualTo("java");
    assertThat(owner.out().strip()).as("the JVM (pid %s in the host) should run as the unprivileged user %s, not"
        + " root%n%s", pid, USER, owner.describe()).startsWith(USER + " ").doesNotEndWith(" 0");
  }

  private String mainPid(String slot) {
    return host.exec(CHECK_TIMEOUT, "systemctl", "show", "--property=MainPID", "--value", unit(slot)).out().strip();
  }

  private void awaitGreeting(String what) {
    try {
      booted.awaitGreeting(what);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + diagnostics(), e);
    }
  }

  /** What the slots and systemd say, to append to a failure message. */
  private String diagnostics() {
    return "--- systemctl status hello@a hello@b ---\n"
        + host.exec(CHECK_TIMEOUT, "systemctl", "status", "--no-pager", "--full", unit("a"), unit("b")).out()
        + "--- journalctl -u hello@a -u hello@b (last 60) ---\n"
        + host.exec(CHECK_TIMEOUT, "journalctl", "--no-pager", "-n", "60", "-u", unit("a"), "-u", unit("b")).out()
        + "--- journalctl -t hello-rollout (last 20) ---\n"
        + host.exec(CHECK_TIMEOUT, "journalctl", "--no-pager", "-n", "20", "-t", "hello-rollout").out();
  }

  private static String unit(String slot) {
    return "hello@" + slot + ".service";
  }

  private static double seconds(long since) {
    return BootedHost.seconds(since);
  }
}
