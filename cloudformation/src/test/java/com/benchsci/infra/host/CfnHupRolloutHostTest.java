package com.benchsci.infra.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.hostharness.BootedHost;
import com.benchsci.hostharness.Cmd;
import com.benchsci.hostharness.DeployedHost;
import com.benchsci.hostharness.NspawnContainer;
import com.benchsci.hostharness.WrkLoad;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The rollout path a user takes, end to end: the deployer's CLI deploys the app jar to the emulator, the host boots from
 * that stack (its UserData runs cfn-init, which applies the stack's metadata and starts cfn-hup), the CLI deploys a new
 * jar, the stack's metadata changes, the host's cfn-hup notices at its next check (stack.yaml's interval is 1 minute:
 * the wait is real), runs its hook (cfn-init again), and the new jar serves with no failed request under wrk load. Then
 * cfn-hup must still be the same running daemon, never restarted.
 *
 * <p>What cfn-hup does is AWS's documented behaviour (cfn-hup reference,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/cfn-hup.html, and aws-cfn-bootstrap's source):
 * {@code --no-daemon} "runs the cfn-hup script once and exits", so a unit that starts it that way with Restart=always
 * is restarted until systemd's start limit fails it, and no later metadata change reaches the host; without it cfn-hup
 * is a daemon that stays in the foreground when its parent is init and checks every {@code interval} minutes.
 *
 * <p>Stand-ins (real aws-cfn-bootstrap comes only from Amazon; moto serves no Metadata): cfn-hup, cfn-init and
 * cfn-signal on the host, and DescribeStackResource's Metadata, derived from the emulator's template and parameters.
 * Real: the deployer CLI, both templates, moto's CloudFormation and S3, systemd and the units, hello-rollout, the JVMs,
 * wrk. See docs/host-test.md.
 *
 * <p>It runs beside the other test classes (every class does: docs/testing.md): most of its time is cfn-hup's
 * one-minute wait, which nothing else here needs.
 */
@Tag("host")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CfnHupRolloutHostTest {

  /** stack.yaml's cfn-hup.conf interval, in cfn-hup's unit: minutes. */
  private static final Duration INTERVAL = Duration.ofMinutes(1);
  /** How late after a check cfn-hup may start the hook: the check itself (a DescribeStackResource) and a JVM start. */
  private static final Duration CHECK_SLACK = Duration.ofSeconds(20);
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);
  private static final String HOOK = "cfn-auto-reloader-hook";
  private static final String RESOURCE = "WebServer";
  private static final Pattern LOG_TIME = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) ");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

  private final Path repo = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
  private DeployedHost deployed;
  private NspawnContainer host;
  private Path v1;
  /** When the host's first boot ended (UserData done, cfn-hup started). */
  private long booted;

  @BeforeAll
  void deployAndBoot() {
    long started = System.nanoTime();
    v1 = BootedHost.appJar(repo);
    deployed = DeployedHost.deploy(repo, "hello-host-rollout-" + ProcessHandle.current().pid(), v1);
    booted = System.nanoTime();
    host = deployed.host();
    // cfn-hup's first check stores the metadata it compares later ones with.
    NspawnContainer.awaitTrue("cfn-hup's first check (its state in /var/lib/cfn-hup/data)", CHECK_TIMEOUT,
        () -> host.exec(CHECK_TIMEOUT, "test", "-s", "/var/lib/cfn-hup/data/metadata_db.json").ok());
    System.out.printf("[cfn-hup-rollout] deployed, booted from the stack, cfn-hup checking: %.1f s%n",
        BootedHost.seconds(started));
  }

  @AfterAll
  void shutDown() {
    if (deployed != null) {
      deployed.close();
    }
  }

  @Test
  @Order(1)
  void theHostBootedFromTheDeployedStackServesTheDeployedJar() {
    assertThat(servedJarSha256()).as("the jar the host serves after its UserData ran cfn-init%n%s", diagnostics())
        .isEqualTo(BootedHost.sha256(v1));
    // The accept-queue hand-over the rollout relies on (stack.yaml's 90-hello.conf, applied by cfn-init).
    assertThat(host.exec(CHECK_TIMEOUT, "cat", "/proc/sys/net/ipv4/tcp_migrate_req").out().strip())
        .as("net.ipv4.tcp_migrate_req on the host").isEqualTo("1");
  }

  @Test
  @Order(2)
  void aNewJarDeployedToTheStackRollsOutThroughCfnHupWithNoFailedRequest() {
    String before = deployed.cloudFormation().metadata(DeployedHost.STACK, RESOURCE);
    String servingBefore = servingSlot();
    int logBefore = cfnHupLog().length();
    Path v2 = BootedHost.variantOf(v1, "rollout-v2");
    deployed.deploy(v2);
    // The host's clock and time zone, as in cfn-hup's log.
    LocalDateTime deployedAt = LocalDateTime.parse(host.exec(CHECK_TIMEOUT, "date", "+%Y-%m-%d %H:%M:%S,%3N").out()
        .strip(), TIME);
    String after = deployed.cloudFormation().metadata(DeployedHost.STACK, RESOURCE);
    assertThat(jarSource(after)).as("the stack's metadata after deploying a new jar: the jar's source")
        .isNotEqualTo(jarSource(before)).endsWith(".jar");

    // cfn-hup's next check (at most one interval away) starts the hook; the load starts with it, seconds before
    // hello-rollout switches slots (it first copies the jar and trains the new slot's AOT cache).
    String ran = "Running action for " + HOOK;
    NspawnContainer.awaitTrue("cfn-hup to run " + HOOK + " within its interval after the deploy",
        INTERVAL.plus(CHECK_SLACK), () -> cfnHupLog().substring(logBefore).contains(ran));
    WrkLoad.Counts[] counts;
    try (WrkLoad keepAlive = WrkLoad.start(host, "http://127.0.0.1/", 16);
        WrkLoad close = WrkLoad.start(host, "http://127.0.0.1/", 4, "Connection: close")) {
      assertThat(activeSlots()).as("the load must start before hello-rollout starts the new slot")
          .containsExactly(servingBefore);
      NspawnContainer.awaitTrue("the hook's rollout to serve the new jar from one slot", Duration.ofMinutes(3),
          () -> activeSlots().size() == 1 && !activeSlots().contains(servingBefore) && hookStored(after));
      counts = new WrkLoad.Counts[] {keepAlive.stop(), close.stop()};
    }

    String log = cfnHupLog().substring(logBefore);
    LocalDateTime noticed = timeOf(log, "Data has changed from previous state; action for " + HOOK + " will be run");
    System.out.printf("[cfn-hup-rollout] cfn-hup noticed the new metadata %.1f s after the deploy ended%n",
        Duration.between(deployedAt, noticed).toMillis() / 1000.0);
    assertThat(Duration.between(deployedAt, noticed)).as("from the deploy to cfn-hup's check that noticed it")
        .isLessThanOrEqualTo(INTERVAL.plus(CHECK_SLACK));
    assertThat(log).as("cfn-hup's log").doesNotContain("will retry on next iteration");
    assertThat(servedJarSha256()).as("the jar the host serves after cfn-hup's hook%n%s", diagnostics())
        .isEqualTo(BootedHost.sha256(v2));
    for (WrkLoad.Counts count : counts) {
      System.out.printf("[cfn-hup-rollout] during the rollout through cfn-hup: %d failed of %d requests%n",
          count.failed(), count.requests());
      assertThat(count.requests()).as("requests during the rollout:%n%s", count.summary()).isPositive();
      assertThat(count.failed()).as("failed requests during the rollout:%n%s%n%s", count.summary(), diagnostics())
          .isZero();
    }
  }

  @Test
  @Order(3)
  void cfnHupIsTheSameRunningDaemonLongAfterBoot() {
    Map<String, String> unit = unitProperties("cfn-hup.service");
    Duration sinceBoot = Duration.ofNanos(System.nanoTime() - booted);
    System.out.printf("[cfn-hup-rollout] cfn-hup.service %s/%s, %s restarts, %d s after boot%n", unit.get("ActiveState"),
        unit.get("SubState"), unit.get("NRestarts"), sinceBoot.toSeconds());
    assertThat(sinceBoot).as("time since the host booted: at least one cfn-hup interval").isGreaterThan(INTERVAL);
    assertThat(unit).as("cfn-hup.service long after boot%n%s", cfnHupStatus())
        .containsEntry("ActiveState", "active").containsEntry("SubState", "running").containsEntry("NRestarts", "0");
    // Under systemd (its parent is PID 1) cfn-hup does not fork: the PID file names the unit's own main process.
    assertThat(host.exec(CHECK_TIMEOUT, "cat", "/var/run/cfn-hup.pid").out().strip())
        .as("/var/run/cfn-hup.pid").isEqualTo(unit.get("MainPID"));
  }

  @Test
  @Order(4)
  void aKilledCfnHupIsCheckingAgainWithinSeconds() {
    String killed = unitProperties("cfn-hup.service").get("MainPID");
    Cmd.Result kill = host.sh(CHECK_TIMEOUT, "kill -9 " + killed);
    assertThat(kill.ok()).as(kill.describe()).isTrue();
    // systemd starts a new one (Restart=always). It checks only once it holds the PID file, which the killed one left
    // behind: python-daemon's lock waits 300 s for it and then fails, unless the unit removes it first.
    NspawnContainer.awaitTrue("the restarted cfn-hup to hold /var/run/cfn-hup.pid", CHECK_TIMEOUT, () -> {
      String pid = unitProperties("cfn-hup.service").get("MainPID");
      return !List.of("0", killed).contains(pid)
          && host.exec(CHECK_TIMEOUT, "cat", "/var/run/cfn-hup.pid").out().strip().equals(pid);
    });
  }

  // ---- what the host says ----

  private String cfnHupLog() {
    return host.exec(CHECK_TIMEOUT, "cat", "/var/log/cfn-hup.log").out();
  }

  /** True once cfn-hup stored {@code metadata}'s Init as the hook's state: its action exited 0. */
  private boolean hookStored(String metadata) {
    Cmd.Result state = host.exec(CHECK_TIMEOUT, "cat", "/var/lib/cfn-hup/data/metadata_db.json");
    if (!state.ok()) {
      return false;
    }
    JsonNode stored = json(state.out()).path(HOOK + "|Resources." + RESOURCE + ".Metadata.AWS::CloudFormation::Init");
    return stored.equals(json(metadata).path("AWS::CloudFormation::Init"));
  }

  private static String jarSource(String metadata) {
    return json(metadata).path("AWS::CloudFormation::Init").path("config").path("files").path("/opt/hello/vertx-app.jar")
        .path("source").asText();
  }

  private static LocalDateTime timeOf(String log, String message) {
    for (String line : log.lines().toList()) {
      Matcher m = LOG_TIME.matcher(line);
      if (line.contains(message) && m.find()) {
        return LocalDateTime.parse(m.group(1), TIME);
      }
    }
    throw new AssertionError("no line \"" + message + "\" in cfn-hup's log:\n" + log);
  }

  private List<String> activeSlots() {
    return List.of("a", "b").stream()
        .filter(slot -> host.exec(CHECK_TIMEOUT, "systemctl", "is-active", "hello@" + slot + ".service").ok())
        .toList();
  }

  private String servingSlot() {
    List<String> active = activeSlots();
    assertThat(active).as("active slots%n%s", diagnostics()).hasSize(1);
    return active.get(0);
  }

  private String servedJarSha256() {
    return host.exec(CHECK_TIMEOUT, "sha256sum", "/opt/hello/" + servingSlot() + "/vertx-app.jar").out().split(" ")[0];
  }

  private Map<String, String> unitProperties(String unit) {
    return host.exec(CHECK_TIMEOUT, "systemctl", "show", "--property=ActiveState,SubState,NRestarts,MainPID", unit)
        .out().lines().map(line -> line.split("=", 2))
        .collect(Collectors.toMap(kv -> kv[0], kv -> kv.length > 1 ? kv[1] : ""));
  }

  private String cfnHupStatus() {
    return host.exec(CHECK_TIMEOUT, "systemctl", "status", "--no-pager", "--full", "cfn-hup.service").out()
        + "--- /var/log/cfn-hup.log ---\n" + cfnHupLog();
  }

  private String diagnostics() {
    return cfnHupStatus() + "--- /var/log/cfn-init.log (last 40) ---\n"
        + host.exec(CHECK_TIMEOUT, "tail", "-n", "40", "/var/log/cfn-init.log").out()
        + "--- journalctl -u hello@a -u hello@b (last 40) ---\n"
        + host.exec(CHECK_TIMEOUT, "journalctl", "--no-pager", "-n", "40", "-u", "hello@a", "-u", "hello@b").out()
        + "--- journalctl -t hello-rollout (last 20) ---\n"
        + host.exec(CHECK_TIMEOUT, "journalctl", "--no-pager", "-n", "20", "-t", "hello-rollout").out();
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }
}
