package com.benchsci.infra.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.testing.StartsFirst;
import com.benchsci.hostharness.BootedHost;
import com.benchsci.hostharness.Chromium;
import com.benchsci.hostharness.Cmd;
import com.benchsci.hostharness.DeployedHost;
import com.benchsci.hostharness.NspawnContainer;
import com.benchsci.hostharness.Pebble;
import com.benchsci.hostharness.WrkLoad;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
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
 * <p>And the same host's trusted HTTPS (issue 21, docs/https.md): the stack's {@code AcmeDirectory} names its ACME
 * CA, Pebble, on the test network ({@link com.benchsci.hostharness.HostCa}), which validates http-01 on port 80 of the
 * host's own address. A run of hello-acme.service (its timer's first, or the test's) gets a certificate for that
 * address, which the host serves to a client trusting only the CA's root; when the CA's renewal information says so,
 * the next run renews it while wrk loads HTTPS, and the same JVM serves the new certificate with no failed request;
 * with the CA gone, a run says so in one line naming the next attempt, and HTTPS keeps serving; Chromium, trusting
 * the CA's root and nothing else (no flag about certificates), shows the greeting (target/host-page-https.png). They
 * come before the rollout, inside the minute that the rollout waits for cfn-hup's next check anyway (the deploy of
 * the new jar and cfn-hup's check decide when it starts, not these): the class took about 10 s less. Their HTTPS load
 * is paced ({@link WrkLoad#steady}), so it does not starve HostBootTest's loads beside this class: flat out it once
 * made a rollout's wrk there count 16 answers later than its 2 s timeout. This class's rollout is the build's only one
 * of a new jar: HostBootTest, which applies the same cfn-init content without cfn-hup, rolls out a broken jar only.
 *
 * <p>What cfn-hup does is AWS's documented behaviour (cfn-hup reference,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/cfn-hup.html, and aws-cfn-bootstrap's source):
 * {@code --no-daemon} "runs the cfn-hup script once and exits", so a unit that starts it that way with Restart=always
 * is restarted until systemd's start limit fails it, and no later metadata change reaches the host; without it cfn-hup
 * is a daemon that stays in the foreground when its parent is init and checks every {@code interval} minutes.
 *
 * <p>Stand-ins (real aws-cfn-bootstrap comes only from Amazon; moto serves no Metadata): cfn-hup, cfn-init and
 * cfn-signal on the host, and DescribeStackResource's Metadata, derived from the emulator's template and parameters.
 * Pebble stands in for Let's Encrypt, and a drop-in setting ACME_IP for IMDS's public address. Real: the deployer
 * CLI, both templates, moto's CloudFormation and S3, systemd and the units, hello-rollout, the JVMs, the ACME client,
 * Pebble, wrk, Chromium. See docs/host-test.md.
 *
 * <p>It runs beside the other test classes (every class does: docs/testing.md): most of its time is cfn-hup's
 * one-minute wait, which nothing else here needs.
 */
@StartsFirst
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
  private static final String GREETING = BootedHost.GREETING;
  private static final String ACME_SERVICE = "hello-acme.service";
  private static final String ACME_TIMER = "hello-acme.timer";
  private static final String STATE_DIRECTORY = "/var/lib/hello-acme 700 hello-acme:hello";

  private final Path repo = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
  private DeployedHost deployed;
  private NspawnContainer host;
  private Path v1;
  /** When the host's first boot ended (UserData done, cfn-hup started). */
  private long booted;
  /** The host's address, which its certificate names; its CA's directory; the CA's root, written once. */
  private String address;
  private URI directory;
  private Path root;

  @BeforeAll
  void deployAndBoot() {
    long started = System.nanoTime();
    v1 = BootedHost.appJar(repo);
    deployed = DeployedHost.deploy(repo, "hello-host-rollout-" + ProcessHandle.current().pid(), v1);
    booted = System.nanoTime();
    host = deployed.host();
    address = deployed.network().hostAddress();
    directory = deployed.ca().pebble().directory();
    root = deployed.ca().pebble().root();
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
    // cfn-init makes the ACME client's state directory, and systemd's StateDirectory= gives it the unit's User= and
    // Group= at each start of the client: were they to differ, each would change the other's back.
    assertThat(stat("/var/lib/hello-acme")).as("the client's state directory as cfn-init made it")
        .containsExactly(STATE_DIRECTORY);
  }

  // ---- trusted HTTPS: the host's certificate from its ACME CA (Pebble on the test network, docs/https.md) ----

  @Test
  @Order(2)
  void theHostGetsACertificateForItsAddressFromTheCaAndServesIt() {
    // The timer cfn-init started runs the client a minute or two after boot, then ten minutes after each run. From here
    // the test starts the runs itself, so that what each run says and does is the test's: a run that fetched the CA's
    // renewal information before the test set it would keep it for the CA's Retry-After (Pebble: six hours).
    Cmd.Result stop = host.exec(CHECK_TIMEOUT, "systemctl", "stop", ACME_TIMER);
    assertThat(stop.ok()).as(stop.describe()).isTrue();
    NspawnContainer.awaitTrue("a run of " + ACME_SERVICE + " that is going to end", Duration.ofMinutes(3),
        () -> !host.exec(CHECK_TIMEOUT, "systemctl", "is-active", ACME_SERVICE).ok());
    boolean timerGotIt = !isSelfSigned(certificateFile());
    if (!timerGotIt) {
      // The timer's first run has not come yet, or found cfn-init's own run of the client going and left it.
      runAcmeClient();
    }
    System.out.println("[cfn-hup-rollout] the CA's first certificate came from a run of " + (timerGotIt ? "the timer"
        : "the test"));
    X509Certificate written = certificateFile();
    assertThat(acmeJournal()).as("what hello-acme.service said since boot").containsOnlyOnce(
        "certificate for " + address + " from " + directory + " (profile shortlived) written, valid until "
            + written.getNotAfter().toInstant());
    assertThat(awaitServed(written)).as("the certificate served to a client that trusts only the CA's root and checks"
        + " the address").isEqualTo(written);
    assertThat(written.getIssuerX500Principal().getName()).as("its issuer").contains("Pebble");
    assertThat(stat("/etc/hello/tls/key.pem", "/etc/hello/tls/cert.pem", "/var/lib/hello-acme",
        "/var/lib/hello-acme/account-key.pem", "/var/lib/hello-acme/state.properties"))
        .as("the files the client wrote, as docs/https.md lists them").containsExactly(
            "/etc/hello/tls/key.pem 640 hello-acme:hello", "/etc/hello/tls/cert.pem 644 hello-acme:hello",
            STATE_DIRECTORY, "/var/lib/hello-acme/account-key.pem 600 hello-acme:hello",
            "/var/lib/hello-acme/state.properties 600 hello-acme:hello");
    // The challenge answers lived in the unit's RuntimeDirectory=, which systemd removes when the run ends.
    assertThat(host.exec(CHECK_TIMEOUT, "test", "-e", "/run/hello-acme").ok()).as("/run/hello-acme after the run")
        .isFalse();
  }

  @Test
  @Order(3)
  void whenTheCaSaysRenewTheCertificateIsRenewedAndSwappedInPlaceUnderLoadWithNoFailedRequest() {
    X509Certificate first = served();
    String slot = servingSlot();
    String pid = mainPid(slot);
    // The CA's renewal information says "renew now" (RFC 9773), as Let's Encrypt's does for a certificate it must
    // revoke; no run has fetched it for this certificate yet.
    deployed.ca().pebble().suggestRenewal(first, Instant.now().minus(Duration.ofHours(2)),
        Instant.now().minus(Duration.ofHours(1)));
    WrkLoad.Counts[] counts;
    List<String> said;
    X509Certificate renewed;
    try (WrkLoad keepAlive = WrkLoad.steady(host, "https://" + address + "/", 16);
        WrkLoad close = WrkLoad.steady(host, "https://" + address + "/", 4, "Connection: close")) {
      said = runAcmeClient();
      renewed = certificateFile();
      assertThat(awaitServed(renewed)).as("the renewed certificate, served").isEqualTo(renewed);
      counts = new WrkLoad.Counts[] {keepAlive.stop(), close.stop()};
    }
    List<String> expected = new ArrayList<>();
    if (Pebble.cannotFindAsReplaced(first)) {
      // Pebble's defect, not the client's (see there): the CA refuses the order naming the certificate it renews.
      expected.add("the CA refused the order as the renewal of the certificate with serial "
          + first.getSerialNumber().toString(16) + " (" + Pebble.REPLACED_NOT_FOUND + "); ordered without naming the"
          + " certificate it renews");
    }
    expected.add("certificate for " + address + " from " + directory + " (profile shortlived) written, valid until "
        + renewed.getNotAfter().toInstant());
    assertThat(said).as("what hello-acme.service said in its run").containsExactlyElementsOf(expected);
    assertThat(renewed.getSerialNumber()).as("the renewed certificate's serial").isNotEqualTo(first.getSerialNumber());
    assertThat(List.of(servingSlot(), mainPid(slot))).as("the slot and JVM that serve: the certificate was swapped in"
        + " place").containsExactly(slot, pid);
    for (WrkLoad.Counts count : counts) {
      System.out.printf("[cfn-hup-rollout] during the certificate's renewal: %d failed of %d HTTPS requests%n",
          count.failed(), count.requests());
      assertThat(count.requests()).as("HTTPS requests during the renewal:%n%s", count.summary()).isPositive();
      assertThat(count.failed()).as("failed HTTPS requests during the renewal:%n%s%n%s", count.summary(),
          acmeDiagnostics()).isZero();
    }
  }

  @Test
  @Order(4)
  void whenTheCaIsGoneTheClientSaysSoOnceAndHttpsKeepsServingTheCertificate() {
    X509Certificate renewed = served();
    deployed.ca().close();
    Instant stopped = Instant.now();
    List<String> said = runAcmeClient();
    assertThat(said).as("what hello-acme.service said in its run").singleElement().asString()
        .startsWith("the CA at " + directory + " gave no certificate for " + address + ": the CA cannot be reached (")
        .endsWith(" (failure 1 in a row); serving the certificate valid until " + renewed.getNotAfter().toInstant()
            + " meanwhile");
    Matcher next = Pattern.compile("; next attempt after (\\S+) \\(").matcher(said.get(0));
    assertThat(next.find()).as("the next attempt in %s", said.get(0)).isTrue();
    assertThat(Instant.parse(next.group(1))).as("the next attempt: the client's first backoff, not a tight loop")
        .isAfter(stopped.plus(Duration.ofMinutes(9)));
    assertThat(served()).as("the certificate served once the CA is gone").isEqualTo(renewed);
    assertThat(httpsGet().body()).as("GET https://%s/ trusting only the CA's root", address).contains(GREETING);
  }

  @Test
  @Order(5)
  void chromiumTrustingOnlyTheCasRootShowsTheGreetingOverHttpsWithoutAnyCertificateFlag() {
    String url = "https://" + address + "/";
    Path target = repo.resolve("cloudformation/target");
    Path screenshot = target.resolve("host-page-https.png");
    Cmd.Result trusting = Chromium.trusting(target.resolve("chromium-trusting-the-ca"), root).render(url, screenshot);
    assertThat(trusting.ok() && trusting.out().contains(GREETING)).as("Chromium's rendered DOM of %s, trusting the"
        + " CA's root:%n%s", url, trusting.describe()).isTrue();
    assertThat(screenshot).as("Chromium's screenshot of %s", url).isNotEmptyFile();
    System.out.println("[cfn-hup-rollout] Chromium's screenshot of " + url + ": " + screenshot);
    // The same browser without the CA's root refuses the page: the trust above is the root's, not a lax browser's.
    Cmd.Result untrusting = Chromium.trusting(target.resolve("chromium-trusting-nothing"))
        .render(url, target.resolve("host-page-https-untrusted.png"));
    assertThat(untrusting.out()).as("Chromium's rendered DOM of %s, trusting no test root", url)
        .doesNotContain(GREETING);
    assertThat(untrusting.err()).as("why Chromium did not load %s", url).contains("ERR_CERT_AUTHORITY_INVALID");
  }

  // ---- a new jar through cfn-hup, after its first interval; cfn-hup itself ----

  @Test
  @Order(6)
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
    try (WrkLoad keepAlive = WrkLoad.steady(host, "http://127.0.0.1/", 16);
        WrkLoad close = WrkLoad.steady(host, "http://127.0.0.1/", 4, "Connection: close")) {
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
    // What a reboot starts (HostBootTest#aRebootBringsItBack): the new slot's unit is enabled, the drained one's not.
    String servingAfter = servingSlot();
    assertThat(List.of("a", "b").stream().filter(slot -> host.exec(CHECK_TIMEOUT, "systemctl", "is-enabled",
        "hello@" + slot + ".service").out().strip().equals("enabled")).toList())
        .as("the enabled slots after the rollout from %s to %s%n%s", servingBefore, servingAfter, diagnostics())
        .containsExactly(servingAfter);
    for (WrkLoad.Counts count : counts) {
      System.out.printf("[cfn-hup-rollout] during the rollout through cfn-hup: %d failed of %d requests%n",
          count.failed(), count.requests());
      assertThat(count.requests()).as("requests during the rollout:%n%s", count.summary()).isPositive();
      assertThat(count.failed()).as("failed requests during the rollout:%n%s%n%s", count.summary(), diagnostics())
          .isZero();
    }
  }

  @Test
  @Order(7)
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
  @Order(8)
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

  // ---- the ACME client and what a client of the host sees ----

  /**
   * One run of the host's ACME client, started as its timer starts it ({@code systemctl start} returns when the
   * oneshot ended, and fails when it did); returns the lines the run wrote to its journal.
   */
  private List<String> runAcmeClient() {
    String cursor = host.exec(CHECK_TIMEOUT, "journalctl", "-n", "1", "-o", "export", "--output-fields=__CURSOR")
        .out().lines().filter(line -> line.startsWith("__CURSOR=")).findFirst().orElseThrow().substring(9);
    Cmd.Result run = host.exec(Duration.ofMinutes(3), "systemctl", "start", ACME_SERVICE);
    assertThat(run.ok()).as("systemctl start %s: %s%n%s", ACME_SERVICE, run.describe(), acmeDiagnostics()).isTrue();
    // What the run wrote to stdout reaches the journal through a stream journald may not have read yet.
    host.exec(CHECK_TIMEOUT, "journalctl", "--sync");
    return host.exec(CHECK_TIMEOUT, "journalctl", "--no-pager", "-o", "cat", "--after-cursor=" + cursor,
        "_SYSTEMD_UNIT=" + ACME_SERVICE, "_TRANSPORT=stdout").out().lines().toList();
  }

  /** What hello-acme.service's runs wrote to the journal since boot. */
  private List<String> acmeJournal() {
    host.exec(CHECK_TIMEOUT, "journalctl", "--sync");
    return host.exec(CHECK_TIMEOUT, "journalctl", "--no-pager", "-o", "cat", "_SYSTEMD_UNIT=" + ACME_SERVICE,
        "_TRANSPORT=stdout").out().lines().toList();
  }

  private static boolean isSelfSigned(X509Certificate certificate) {
    return certificate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal());
  }

  /** The certificate the client wrote for the slots, the first of its chain. */
  private X509Certificate certificateFile() {
    Cmd.Result pem = host.exec(CHECK_TIMEOUT, "cat", "/etc/hello/tls/cert.pem");
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.out().getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException e) {
      throw new AssertionError("no certificate in /etc/hello/tls/cert.pem: " + pem.describe(), e);
    }
  }

  /**
   * The certificate the host presents to a new HTTPS connection from this machine, as a browser elsewhere connects:
   * trusting the CA's root and nothing else, and checking that the certificate names the address.
   */
  private X509Certificate served() {
    try (SSLSocket socket = (SSLSocket) trustingTheCa().getSocketFactory().createSocket(address, 443)) {
      socket.setSoTimeout((int) CHECK_TIMEOUT.toMillis());
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    } catch (IOException e) {
      throw new UncheckedIOException("no HTTPS connection to " + address + " trusting the CA's root", e);
    }
  }

  /** Polls until the host serves {@code expected} (a slot looks at its files every 2 s); returns the last served. */
  private X509Certificate awaitServed(X509Certificate expected) {
    X509Certificate[] last = {null};
    try {
      NspawnContainer.awaitTrue("the host to serve the certificate with serial " + expected.getSerialNumber(),
          CHECK_TIMEOUT, () -> {
            try {
              last[0] = served();
            } catch (UncheckedIOException notTrustedYet) {
              return false;
            }
            return last[0].equals(expected);
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; served last: " + (last[0] == null ? "none trusted"
          : last[0].getSerialNumber()) + "\n" + acmeDiagnostics(), e);
    }
    return last[0];
  }

  private HttpResponse<String> httpsGet() {
    try {
      return HttpClient.newBuilder().sslContext(trustingTheCa()).build().send(HttpRequest.newBuilder(
          URI.create("https://" + address + "/")).timeout(CHECK_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET https://" + address + "/ trusting the CA's root", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A TLS client context whose one trust anchor is the CA's root. */
  private SSLContext trustingTheCa() {
    try (InputStream in = Files.newInputStream(root)) {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      anchors.setCertificateEntry("ca-root", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(anchors);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CA's root " + root, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust the CA's root " + root, e);
    }
  }

  /** Each file's path, mode and owner. */
  private List<String> stat(String... files) {
    List<String> argv = new ArrayList<>(List.of("stat", "-c", "%n %a %U:%G"));
    argv.addAll(List.of(files));
    return host.exec(CHECK_TIMEOUT, argv.toArray(String[]::new)).out().lines().toList();
  }

  private String mainPid(String slot) {
    return host.exec(CHECK_TIMEOUT, "systemctl", "show", "--property=MainPID", "--value", "hello@" + slot + ".service")
        .out().strip();
  }

  private String acmeDiagnostics() {
    return "--- journalctl -u hello-acme.service (last 30) ---\n"
        + host.exec(CHECK_TIMEOUT, "journalctl", "--no-pager", "-n", "30", "-u", ACME_SERVICE).out()
        + "--- journalctl -u hello@a -u hello@b (last 20) ---\n"
        + host.exec(CHECK_TIMEOUT, "journalctl", "--no-pager", "-n", "20", "-u", "hello@a", "-u", "hello@b").out()
        + "--- Pebble's log (last 2000 characters) ---\n" + tail(deployed.ca().pebble().log(), 2000);
  }

  private static String tail(String text, int characters) {
    return text.substring(Math.max(0, text.length() - characters));
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
