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
 * shown to come back when a {@code -D} flag asks for it (so each observation can fail).
 */
@Tag("emulator")
class LeanStartTest {
  private static final String JFR_METADATA = "jdk.jfr.internal.MetadataRepository";
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void kill() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void servingARequestLeavesFlightRecorderAlone(@TempDir Path dir) throws Exception {
    assertThat(classesLoadedServingOneRequest(dir.resolve("lean.log"), List.of()))
        .contains("io.netty.buffer.AdaptivePoolingAllocator").doesNotContain(JFR_METADATA);
    assertThat(classesLoadedServingOneRequest(dir.resolve("jfr.log"), List.of("-Dio.netty.jfr.enabled=true")))
        .as("Netty's allocator events, asked for").contains(JFR_METADATA);
  }

  @Test
  void theKeyIsHeldWithOnePbkdf2RoundNotTenThousand(@TempDir Path dir) throws Exception {
    assertThat(pkcs12IterationCounts(dir, List.of())).isNotEmpty().containsOnly("1");
    assertThat(pkcs12IterationCounts(dir, List.of("-Dkeystore.pkcs12.keyPbeIterationCount=10000")))
        .isNotEmpty().containsOnly("10000");
  }

  /**
   * The jar also carries the ACME client (com.benchsci.acme) and what it brings: acme4j, jose4j, Bouncy Castle,
   * SLF4J. Serving HTTP, HTTPS and a challenge answer and swapping in a new certificate loads none of it: its classes
   * cost the serving JVM nothing, and Netty and Vert.x, which would take SLF4J when they find it, log as before.
   */
  @Test
  void servingLoadsNothingOfTheAcmeClient(@TempDir Path dir) throws Exception {
    SelfSignedCertificate first = TestCertificate.create(Files.createDirectory(dir.resolve("first")));
    SelfSignedCertificate second = TestCertificate.create(Files.createDirectory(dir.resolve("second")));
    Path challenges = Files.createDirectory(dir.resolve("challenges"));
    Files.writeString(challenges.resolve("token"), "token.thumbprint");
    Path log = dir.resolve("classes.log");
    int port = JavaCommand.freePort();
    Process app = start(JavaCommand.of(List.of("-Xlog:class+load=info:file=" + log), Main.class),
        Map.of("HTTP_PORT", String.valueOf(port), "HTTPS_PORT", "0", "TLS_CERT_FILE", first.certFile().toString(),
            "TLS_KEY_FILE", first.keyFile().toString(), "ACME_CHALLENGE_DIR", challenges.toString()), null);
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

    assertThat(Files.readString(log)).contains("com.benchsci.app.CertificateReload ")
        .doesNotContain("com.benchsci.acme.", "org.shredzone.", "org.jose4j.", "org.bouncycastle.", "org.slf4j.");
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

  /** Starts the app logging each class it loads, answers one request, stops it; returns the log. */
  private String classesLoadedServingOneRequest(Path log, List<String> flags) throws Exception {
    List<String> jvmFlags = new ArrayList<>(flags);
    jvmFlags.add("-Xlog:class+load=info:file=" + log);
    int port = JavaCommand.freePort();
    Process app = start(JavaCommand.of(jvmFlags, Main.class), Map.of("HTTP_PORT", String.valueOf(port)), null);
    assertThat(new ProcessLines(app.getInputStream()).next()).isEqualTo("listening on http port " + port);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(RawResponse.read(new BufferedInputStream(socket.getInputStream())).status()).isEqualTo(200);
    }
    stop(app);
    return Files.readString(log);
  }

  /** The PBKDF2 iteration counts the JDK reports for the key store Vert.x builds from the PEM key at start. */
  private List<String> pkcs12IterationCounts(Path dir, List<String> flags) throws Exception {
    SelfSignedCertificate certificate = TestCertificate.create(Files.createTempDirectory(dir, "cert"));
    Path stderr = Files.createTempFile(dir, "stderr", ".txt");
    List<String> jvmFlags = new ArrayList<>(flags);
    jvmFlags.add("-Djava.security.debug=pkcs12");
    Process app = start(JavaCommand.of(jvmFlags, Main.class), Map.of("HTTP_PORT", "0", "HTTPS_PORT", "0",
        "TLS_CERT_FILE", certificate.certFile().toString(), "TLS_KEY_FILE", certificate.keyFile().toString()), stderr);
    assertThat(new ProcessLines(app.getInputStream()).next()).startsWith("listening on http port ");
    stop(app);
    // e.g. "pkcs12: Retrieved a protected private key at alias 'key' (PBEWithHmacSHA256AndAES_256 iterations: 1)"
    return Files.readAllLines(stderr).stream().filter(line -> line.contains(" iterations: "))
        .map(line -> line.replaceFirst(".* iterations: (\\d+)\\)$", "$1")).toList();
  }

  private Process start(List<String> command, Map<String, String> env, Path stderr) throws Exception {
    Process app = JavaCommand.process(command, env)
        .redirectError(stderr == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.to(stderr.toFile()))
        .start();
    processes.add(app);
    return app;
  }

  private static void stop(Process app) throws InterruptedException {
    app.toHandle().destroy();
    assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
  }
}
