package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.acme.AcmeMain;
import com.benchsci.deployer.testing.StartsFirst;
import com.benchsci.hostharness.Pebble;
import com.benchsci.hostharness.SelfSignedCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app and the ACME client (com.benchsci.acme.AcmeMain, as the hello-acme service runs it: a JVM per run, umask
 * 0077) against a real ACME server, Pebble, on loopback: the client gets a certificate for 127.0.0.1 through the app's
 * port (http-01), the app serves it to a client that trusts Pebble's root and nothing else, the client renews it when
 * the CA's renewal information says so while HTTPS load runs with no failed request, and when the CA is gone it says
 * so once, backs off, keeps the certificate it has, and serves a self-signed one once that lapses.
 */
@StartsFirst
@Tag("emulator")
class AcmePebbleTest {
  // Certificates that no run here sees lapse, however busy the machine: what a test says of one that is still valid
  // must not depend on how fast its runs are.
  private static final Duration LASTING = Duration.ofHours(1);
  // One that lapses while the test waits for it (the wait is the certificate's own validity, not a guess).
  private static final Duration BRIEF = Duration.ofSeconds(15);
  @RegisterExtension final AppProcesses processes = new AppProcesses();
  @TempDir Path dir;
  private final Map<String, String> env = new HashMap<>();
  private final List<Pebble> pebbles = new ArrayList<>();
  private SelfSignedCertificate pebbleApi;
  private Pebble pebble;
  private Path cert;
  private Path key;
  private Path challenges;
  private Path state;
  private int http;
  private int https;

  @BeforeEach
  void hostFilesAndPebble() throws Exception {
    http = JavaCommand.freePort();
    https = JavaCommand.freePort();
    pebbleApi = Pebble.apiCertificate(Files.createDirectory(dir.resolve("pebble-api")), "127.0.0.1");
    pebble = pebble("pebble", LASTING);
    cert = Files.createDirectory(dir.resolve("tls")).resolve("cert.pem");
    key = dir.resolve("tls").resolve("key.pem");
    challenges = Files.createDirectory(dir.resolve("challenges"));
    state = Files.createDirectory(dir.resolve("state"));
    env.putAll(Map.of("TLS_CERT_FILE", cert.toString(), "TLS_KEY_FILE", key.toString(),
        "ACME_CHALLENGE_DIR", challenges.toString(), "ACME_STATE_DIR", state.toString(), "ACME_IP", "127.0.0.1",
        "ACME_DIRECTORY", pebble.directory().toString()));
  }

  @AfterEach
  void stopPebbles() {
    for (Pebble started : pebbles) {
      started.close();
    }
  }

  @Test
  void aCertificateFromTheCaIsServedRenewedUnderLoadAndKeptWhenTheCaIsGone() throws Exception {
    ProcessLines appLog = boot();

    // The first certificate from the CA, picked up by the running app.
    List<String> issued = acme("renew");
    assertThat(issued).singleElement().asString().startsWith("certificate for 127.0.0.1 from " + pebble.directory()
        + " (profile shortlived) written, valid until ");
    assertThat(mode(key)).isEqualTo("rw-r-----");
    assertThat(mode(cert)).isEqualTo("rw-r--r--");
    assertThat(mode(state.resolve("account-key.pem"))).isEqualTo("rw-------");
    assertThat(mode(state.resolve("state.properties"))).isEqualTo("rw-------");
    assertThat(challenges.toFile().list()).as("the challenge answer is gone once the CA has decided").isEmpty();
    X509Certificate first = TestTrust.read(cert);
    appLog.next(line -> line.startsWith("certificate reloaded from " + cert + ": for [127.0.0.1], issued by CN=Pebble"));
    SSLContext trustingPebble = TestTrust.trusting(pebble.root());
    assertThat(TestTrust.presented(trustingPebble, https)).isEqualTo(first);

    // The CA says renew now: the next run does, while clients trusting only Pebble's root keep requesting.
    try (LoadClient load = new LoadClient(() -> TestTrust.connect(trustingPebble, https), 2)) {
      load.awaitMore(200);
      pebble.suggestRenewal(first, Instant.now().minusSeconds(120), Instant.now().minusSeconds(60));
      List<String> said = acme("renew");
      X509Certificate second = TestTrust.read(cert);
      assertThat(said).containsExactlyElementsOf(renewal(first, second, Pebble.cannotFindAsReplaced(first)
          ? Optional.of(Pebble.REPLACED_NOT_FOUND) : Optional.empty()));
      assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
      appLog.next(line -> line.startsWith("certificate reloaded from " + cert + ": for [127.0.0.1], issued by CN=Pebble"));
      assertThat(TestTrust.presented(trustingPebble, https)).isEqualTo(second);
      load.awaitMore(200);
      assertThat(load.stop()).as("failed requests while the certificate was renewed").isEmpty();
    }

    // The CA is gone: one line with the next attempt, then quiet, and the certificate served stays.
    pebble.close();
    X509Certificate served = TestTrust.read(cert);
    List<String> failed = acme("renew");
    assertThat(failed).singleElement().asString()
        .startsWith("the CA at " + pebble.directory() + " gave no certificate for 127.0.0.1: the CA cannot be reached (")
        .contains("; next attempt after ", " (failure 1 in a row); serving the certificate valid until "
            + served.getNotAfter().toInstant() + " meanwhile");
    String backoff = Files.readString(state.resolve("state.properties"));
    assertThat(acme("renew")).as("a run within the backoff asks nobody and says nothing").isEmpty();
    assertThat(Files.readString(state.resolve("state.properties"))).contains(nextAttempt(backoff));
    assertThat(TestTrust.presented(trustingPebble, https)).isEqualTo(served);

  }

  /** Once the served certificate lapses with the CA gone, a self-signed one naming the address takes its place. */
  @Test
  void aCertificateThatLapsesWhileTheCaIsGoneIsReplacedBySelfSigned() throws Exception {
    Pebble brief = pebble("brief", BRIEF);
    env.put("ACME_DIRECTORY", brief.directory().toString());
    ProcessLines appLog = boot();
    assertThat(acme("renew")).singleElement().asString().startsWith("certificate for 127.0.0.1 from "
        + brief.directory());
    X509Certificate served = TestTrust.read(cert);
    brief.close();

    long untilLapse = Duration.between(Instant.now(), served.getNotAfter().toInstant()).toMillis() + 1000;
    Thread.sleep(Math.max(0, untilLapse)); // the certificate's own validity decides when, not a guess
    List<String> said = acme("renew");
    assertThat(said).hasSize(2);
    assertThat(said.get(0)).isEqualTo("self-signed certificate for 127.0.0.1 written: the served one lapses at "
        + served.getNotAfter().toInstant());
    assertThat(said.get(1)).startsWith("the CA at " + brief.directory() + " gave no certificate for 127.0.0.1: the CA"
        + " cannot be reached (").endsWith(" (failure 1 in a row); serving the self-signed certificate meanwhile");
    appLog.next(line -> line.startsWith("certificate reloaded from " + cert + ": for [127.0.0.1], issued by CN=hello-host"));
    X509Certificate selfSigned = TestTrust.read(cert);
    assertThat(TestTrust.presented(TestTrust.trusting(cert), https)).isEqualTo(selfSigned);
    assertThat(selfSigned.getSubjectAlternativeNames()).containsExactly(List.of(7, "127.0.0.1"));
  }

  /**
   * A run killed after the CA issued its renewal and before it wrote the files leaves the old certificate served and
   * the CA holding an order that replaced it: the CA refuses the next order naming it again (alreadyReplaced, RFC
   * 9773 section 5), and that run orders without naming it instead of failing every run until the certificate lapses.
   */
  @Test
  void aRenewalTheCaRefusesAsAlreadyReplacedIsOrderedWithoutNamingTheCertificate() throws Exception {
    boot();
    acme("renew");
    X509Certificate first = TestTrust.read(cert);
    Path before = Files.createDirectory(dir.resolve("before-the-renewal"));
    List<Path> kept = List.of(cert, key, state.resolve("state.properties"));
    for (Path file : kept) {
      Files.copy(file, before.resolve(file.getFileName()));
    }
    pebble.suggestRenewal(first, Instant.now().minusSeconds(120), Instant.now().minusSeconds(60));
    acme("renew");
    assertThat(TestTrust.read(cert).getSerialNumber()).as("the renewal's serial").isNotEqualTo(first.getSerialNumber());
    // What the killed run leaves: the CA's order is done, and the files are as before it.
    for (Path file : kept) {
      Files.copy(before.resolve(file.getFileName()), file, StandardCopyOption.REPLACE_EXISTING);
    }

    List<String> said = acme("renew");
    X509Certificate third = TestTrust.read(cert);
    String serial = HexFormat.of().formatHex(first.getSerialNumber().toByteArray());
    assertThat(said).containsExactlyElementsOf(renewal(first, third, Optional.of(Pebble.cannotFindAsReplaced(first)
        ? Pebble.REPLACED_NOT_FOUND
        : "urn:ietf:params:acme:error:alreadyReplaced: certificate with serial " + serial
            + " already has a replacement order")));
    assertThat(third.getSerialNumber()).as("the new certificate's serial").isNotEqualTo(first.getSerialNumber());
  }

  /**
   * ACME_DIRECTORY changed to another CA: its certificate is ordered at once, without waiting for the served one's
   * renewal time. Emptied: a self-signed certificate at once, and nothing asked of any CA.
   */
  @Test
  void aChangedDirectoryReplacesTheCertificateAtOnce() throws Exception {
    ProcessLines appLog = boot();
    assertThat(acme("renew")).singleElement().asString().startsWith("certificate for 127.0.0.1 from "
        + pebble.directory());
    X509Certificate first = TestTrust.read(cert);

    Pebble other = pebble("other", LASTING);
    env.put("ACME_DIRECTORY", other.directory().toString());
    assertThat(acme("renew")).singleElement().asString().startsWith("certificate for 127.0.0.1 from "
        + other.directory());
    assertThat(TestTrust.read(cert).getIssuerX500Principal()).isNotEqualTo(first.getIssuerX500Principal());

    env.put("ACME_DIRECTORY", "");
    assertThat(acme("renew")).containsExactly(
        "self-signed certificate for 127.0.0.1 written: ACME_DIRECTORY is empty: self-signed certificates only",
        "ACME_DIRECTORY is empty: self-signed certificates only");
    appLog.next(line -> line.startsWith("certificate reloaded from " + cert + ": for [127.0.0.1], issued by CN=hello-host"));
  }

  /** As at the host's boot: a certificate without the CA, then the app serving it; returns the app's stdout. */
  private ProcessLines boot() throws Exception {
    assertThat(acme("fallback")).containsExactly("self-signed certificate for 127.0.0.1 written: no certificate was served");
    Map<String, String> appEnv = new HashMap<>(env);
    appEnv.putAll(Map.of("HTTP_PORT", String.valueOf(http), "HTTPS_PORT", String.valueOf(https)));
    Process app = processes.start(JavaCommand.process(JavaCommand.of(Main.class), appEnv)
        .redirectError(ProcessBuilder.Redirect.INHERIT));
    ProcessLines appLog = new ProcessLines(app.getInputStream());
    assertThat(appLog.next()).isEqualTo("listening on http port " + http + ", https port " + https);
    return appLog;
  }

  /** A Pebble of its own in {@code name}, validating on the app's HTTP port, issuing for {@code validity}. */
  private Pebble pebble(String name, Duration validity) throws Exception {
    Pebble started = Pebble.start(Files.createDirectory(dir.resolve(name)), "127.0.0.1", pebbleApi, http, validity);
    pebbles.add(started);
    return started;
  }

  /**
   * One run of the ACME client as the hello-acme service makes it (umask 0077, its own JVM) trusting Pebble's API;
   * requires exit status 0 and nothing on stderr; returns its stdout lines.
   */
  private List<String> acme(String verb) throws Exception {
    List<String> command = new ArrayList<>(List.of("sh", "-c", "umask 0077 && exec \"$@\"", "sh"));
    command.addAll(JavaCommand.of(pebble.clientJvmFlags(), AcmeMain.class, verb));
    Process run = processes.start(JavaCommand.process(command, env));
    run.getOutputStream().close();
    String stdout = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(run.exitValue()).as("exit status of AcmeMain %s; stderr: %s", verb, stderr).isZero();
    assertThat(stderr).isEmpty();
    return stdout.lines().toList();
  }

  /**
   * What a run that renewed {@code replaced} with {@code renewed} says: the CA's refusal of the order as a renewal,
   * where it gave {@code refusal}, and the new certificate.
   */
  private List<String> renewal(X509Certificate replaced, X509Certificate renewed, Optional<String> refusal) {
    List<String> lines = new ArrayList<>();
    refusal.ifPresent(problem -> lines.add("the CA refused the order as the renewal of the certificate with serial "
        + replaced.getSerialNumber().toString(16) + " (" + problem + "); ordered without naming the certificate it"
        + " renews"));
    lines.add("certificate for 127.0.0.1 from " + pebble.directory() + " (profile shortlived) written, valid until "
        + renewed.getNotAfter().toInstant());
    return lines;
  }

  private static String nextAttempt(String state) {
    return state.lines().filter(line -> line.startsWith("next-attempt=")).findFirst().orElseThrow();
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
