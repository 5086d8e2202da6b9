package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.hostharness.SelfSignedCertificate;
import java.io.BufferedInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start work {@link LeanStart} spares, observed in real app processes through what the JVM and the JDK report, and
 * shown to come back when a {@code -D} flag asks for it (so each observation can fail). One app process observes all
 * that the app spares and one all that the flags bring back: each start costs about 2 s of CPU on the build machine.
 */
@Tag("emulator")
class LeanStartTest {
  private static final String JFR_METADATA = "jdk.jfr.internal.MetadataRepository";
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void kill() {
    processes.forEach(Process::destroyForcibly);
  }

  /**
   * Serving HTTP, HTTPS's key store, a challenge answer and a new certificate swapped in: Netty's allocator serves the
   * request without Flight Recorder, Vert.x holds the key with one PBKDF2 round, and nothing of the ACME client the
   * jar also carries (com.benchsci.acme and what it brings: acme4j, jose4j, Bouncy Castle, SLF4J) is loaded: its
   * classes cost the serving JVM nothing, and Netty and Vert.x, which would take SLF4J when they find it, log as
   * before.
   */
  @Test
  void servingLeavesFlightRecorderAndTheAcmeClientAloneAndHoldsTheKeyWithOnePbkdf2Round(@TempDir Path dir)
      throws Exception {
    Served served = serve(dir, List.of());

    assertThat(served.classes()).contains("io.netty.buffer.AdaptivePoolingAllocator",
        "com.benchsci.app.CertificateReload ").doesNotContain(JFR_METADATA)
        .doesNotContain("com.benchsci.acme.", "org.shredzone.", "org.jose4j.", "org.bouncycastle.", "org.slf4j.");
    assertThat(served.pbkdf2Rounds()).as("PBKDF2 rounds of the key stores, at start and after the swap").isNotEmpty()
        .containsOnly("1");
  }

  /** The same work with the two flags that ask for what the app spares: both come back. */
  @Test
  void flagsThatAskForFlightRecorderAndTenThousandRoundsGetThem(@TempDir Path dir) throws Exception {
    Served served = serve(dir, List.of("-Dio.netty.jfr.enabled=true", "-Dkeystore.pkcs12.keyPbeIterationCount=10000"));

    assertThat(served.classes()).as("Netty's allocator events, asked for").contains(JFR_METADATA);
    assertThat(served.pbkdf2Rounds()).isNotEmpty().containsOnly("10000");
  }

  /** The host's container has only loopback, as here: no interface with a hardware address for Netty to find. */
  @Test
  void startsWithNothingOnStderrWhereNoInterfaceHasAHardwareAddress(@TempDir Path dir) throws Exception {
    Netns netns;
    try {
      netns = Netns.create();
    } catch (IllegalStateException e) {
      System.out.println("!!!!! LeanStartTest SKIPPED: " + e.getMessage() + " !!!!!");
      Assumptions.abort(e.getMessage());
      return;
    }
    try (netns) {
      Path stderr = dir.resolve("stderr");
      Process app = start(netns.command(JavaCommand.of(Main.class)), Map.of("HTTP_PORT", "8080"), stderr);
      assertThat(new ProcessLines(app.getInputStream()).next()).isEqualTo("listening on http port 8080");
      stop(app);
      assertThat(Files.readString(stderr)).isEmpty();
    }
  }

  /** The classes an app process loaded and the PBKDF2 rounds the JDK reported for its key stores. */
  private record Served(String classes, List<String> pbkdf2Rounds) {}

  /**
   * Starts the app with {@code flags}, logging each class it loads and the JDK's {@code pkcs12} debug output; it
   * answers one request on HTTP (a challenge answer), picks up a new certificate, and is stopped.
   */
  private Served serve(Path dir, List<String> flags) throws Exception {
    SelfSignedCertificate first = TestCertificate.create(Files.createDirectory(dir.resolve("first")));
    SelfSignedCertificate second = TestCertificate.create(Files.createDirectory(dir.resolve("second")));
    Path challenges = Files.createDirectory(dir.resolve("challenges"));
    Files.writeString(challenges.resolve("token"), "token.thumbprint");
    Path log = dir.resolve("classes.log");
    Path stderr = dir.resolve("stderr.txt");
    List<String> jvmFlags = new ArrayList<>(flags);
    jvmFlags.addAll(List.of("-Xlog:class+load=info:file=" + log, "-Djava.security.debug=pkcs12"));
    int port = JavaCommand.freePort();
    Process app = start(JavaCommand.of(jvmFlags, Main.class), Map.of("HTTP_PORT", String.valueOf(port),
        "HTTPS_PORT", "0", "TLS_CERT_FILE", first.certFile().toString(), "TLS_KEY_FILE", first.keyFile().toString(),
        "ACME_CHALLENGE_DIR", challenges.toString()), stderr);
    ProcessLines stdout = new ProcessLines(app.getInputStream());
    assertThat(stdout.next()).startsWith("listening on http port " + port);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getOutputStream().write("GET /.well-known/acme-challenge/token HTTP/1.1\r\nHost: localhost\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(RawResponse.read(new BufferedInputStream(socket.getInputStream())).status()).isEqualTo(200);
    }
    Files.move(second.keyFile(), first.keyFile(), StandardCopyOption.REPLACE_EXISTING);
    Files.move(second.certFile(), first.certFile(), StandardCopyOption.REPLACE_EXISTING);
    stdout.next(line -> line.startsWith("certificate reloaded"));
    stop(app);
    // e.g. "pkcs12: Retrieved a protected private key at alias 'key' (PBEWithHmacSHA256AndAES_256 iterations: 1)"
    List<String> rounds = Files.readAllLines(stderr).stream().filter(line -> line.contains(" iterations: "))
        .map(line -> line.replaceFirst(".* iterations: (\\d+)\\)$", "$1")).toList();
    return new Served(Files.readString(log), rounds);
  }

  private Process start(List<String> command, Map<String, String> env, Path stderr) throws Exception {
    Process app = JavaCommand.process(command, env)
        .redirectError(stderr.toFile())
        .start();
    processes.add(app);
    return app;
  }

  private static void stop(Process app) throws InterruptedException {
    app.toHandle().destroy();
    assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
  }
}
