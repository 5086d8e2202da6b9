package com.benchsci.infra.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Boots the host that stack.yaml describes under a real systemd: a Debian bookworm container (systemd-nspawn, own
 * network namespace) gets the template's own {@code AWS::CloudFormation::Init} content applied by
 * {@link CfnInitApplier}, with the jar this build made, and then has to serve the greeting, survive {@code kill -9}
 * and a reboot, and pass the UserData's own health check.
 *
 * <p>Differences from the real host, on purpose and only these: Debian instead of Amazon Linux 2023, OpenJDK 17
 * instead of Corretto 21 (see {@link CfnInitApplier#DEBIAN_PACKAGES}), cfn-hup not running (AWS's agent), stand-in
 * values for the pseudo parameters and the deployer's parameters ({@link StubIntrinsics}), and the jar copied from
 * vertx-app/target instead of fetched from S3.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostBootTest {

  private static final String GREETING = "Hello World from BenchSci!";
  private static final String SERVICE = "hello.service";
  private static final String USER = "hello";
  private static final String CERT = "/etc/hello/tls/cert.pem";
  /** Boot or restart to greeting takes seconds; this bound only stops a broken host from hanging the build. */
  private static final Duration GREETING_DEADLINE = Duration.ofSeconds(60);
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

  private final Path repo = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
  private NspawnContainer host;
  private String healthCheck;

  @BeforeAll
  void bootTheTemplatesHost() {
    String unsupported = DebianRootFs.whyUnsupported();
    if (unsupported != null) {
      System.out.println("!!!!! HostBootTest SKIPPED: this machine cannot run systemd-nspawn: " + unsupported + " !!!!!");
      Assumptions.abort("cannot run systemd-nspawn here: " + unsupported);
    }
    long started = System.nanoTime();
    Path jar = repo.resolve("vertx-app/target/vertx-app.jar");
    assertThat(jar).as("the app jar this build makes; build with ./mvnw verify, which packages vertx-app first")
        .isRegularFile();

    HostTemplate hostTemplate = HostTemplate.read(repo.resolve("cloudformation/stack.yaml"));
    // Refuses unknown keys now, before anything boots.
    CfnInitApplier applier = new CfnInitApplier(hostTemplate.resource(), hostTemplate.init(),
        hostTemplate.authentications(), jar);
    healthCheck = hostTemplate.healthCheck();

    Path rootfs = DebianRootFs.cached();
    long booting = System.nanoTime();
    // A name of its own: concurrent builds on one machine must not share nspawn's per-machine state.
    host = NspawnContainer.boot(rootfs, "hello-host-test-" + ProcessHandle.current().pid());
    System.out.printf("[host-boot] container up (PID 1 is %d here) in %.1f s%n", host.leader(), seconds(booting));
    applier.applyTo(host);
    awaitGreeting("the greeting on port 80 after cfn-init");
    System.out.printf("[host-boot] boot + cfn-init to greeting: %.1f s (setup total %.1f s)%n", seconds(booting),
        seconds(started));
  }

  @AfterAll
  void shutDown() {
    if (host != null) {
      host.close();
    }
  }

  @Test
  @Order(1)
  void serviceIsEnabledAndActive() {
    assertEnabledAndActive("after cfn-init");
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
    Cmd.Result check = host.exec(Duration.ofMinutes(3), "/bin/bash", "-c", healthCheck);
    assertThat(check.ok())
        .as("the UserData's local health check (what cfn-signal reports) should exit 0 inside the host:%n%s%n"
            + "--- the check ---%n%s%n%s", check.describe(), healthCheck, diagnostics())
        .isTrue();
  }

  @Test
  @Order(6)
  void killMinusNineOfTheJvmBringsTheGreetingBack() {
    String pid = mainPid();
    // Never kill -9 0: inside the container that still means "my process group", which includes this build.
    assertThat(pid).as("%s should have a main process to kill%n%s", SERVICE, diagnostics()).matches("[1-9][0-9]*");
    // The shell's own kill: minbase has no procps. SIGKILL straight to the JVM, as an OOM killer or a crash would.
    Cmd.Result kill = host.sh(CHECK_TIMEOUT, "kill -9 " + pid);
    assertThat(kill.ok()).as("kill -9 %s: %s", pid, kill.describe()).isTrue();
    long killed = System.nanoTime();
    NspawnContainer.awaitTrue("systemd to start a new JVM after kill -9 of " + pid, GREETING_DEADLINE,
        () -> !List.of("0", "", pid).contains(mainPid()));
    awaitGreeting("the greeting after kill -9 of the JVM (systemd's Restart=)");
    System.out.printf("[host-boot] kill -9 to greeting again: %.1f s%n", seconds(killed));
    assertEnabledAndActive("after kill -9");
  }

  @Test
  @Order(7)
  void aRebootBringsItBack() {
    long rebooting = System.nanoTime();
    host.reboot();
    awaitGreeting("the greeting after systemctl reboot");
    System.out.printf("[host-boot] reboot to greeting: %.1f s%n", seconds(rebooting));
    assertEnabledAndActive("after reboot");
    assertRunsAsUnprivilegedUser();
  }

  // ---- checks shared by several steps ----

  private void assertEnabledAndActive(String when) {
    String enabled = host.exec(CHECK_TIMEOUT, "systemctl", "is-enabled", SERVICE).out().strip();
    String active = host.exec(CHECK_TIMEOUT, "systemctl", "is-active", SERVICE).out().strip();
    assertThat(enabled + "/" + active).as("%s should be enabled (starts at boot) and active %s%n%s", SERVICE, when,
        diagnostics()).isEqualTo("enabled/active");
  }

  private void assertRunsAsUnprivilegedUser() {
    String pid = mainPid();
    Cmd.Result owner = host.exec(CHECK_TIMEOUT, "stat", "-c", "%U %u", "/proc/" + pid);
    Cmd.Result program = host.exec(CHECK_TIMEOUT, "cat", "/proc/" + pid + "/comm");
    assertThat(program.out().strip()).as("%s's main process should be the JVM%n%s", SERVICE, diagnostics())
        .isEqualTo("java");
    assertThat(owner.out().strip()).as("the JVM (pid %s in the host) should run as the unprivileged user %s, not"
        + " root%n%s", pid, USER, owner.describe()).startsWith(USER + " ").doesNotEndWith(" 0");
  }

  private String mainPid() {
    return host.exec(CHECK_TIMEOUT, "systemctl", "show", "--property=MainPID", "--value", SERVICE).out().strip();
  }

  private void awaitGreeting(String what) {
    try {
      NspawnContainer.awaitTrue(what, GREETING_DEADLINE, () -> {
        Cmd.Result get = host.exec(CHECK_TIMEOUT, "curl", "--silent", "--fail", "--max-time", "2", "http://127.0.0.1/");
        return get.ok() && get.out().contains(GREETING);
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + diagnostics(), e);
    }
  }

  /** What the service and systemd say, to append to a failure message. */
  private String diagnostics() {
    return "--- systemctl status " + SERVICE + " ---\n"
        + host.exec(CHECK_TIMEOUT, "systemctl", "status", "--no-pager", "--full", SERVICE).out()
        + "--- journalctl -u " + SERVICE + " (last 40) ---\n"
        + host.exec(CHECK_TIMEOUT, "journalctl", "--no-pager", "-n", "40", "-u", SERVICE).out();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
