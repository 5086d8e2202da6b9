package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link Main} in its own JVM, as systemd runs it: start failures, and stopping on SIGTERM. */
@Tag("emulator")
class MainProcessTest {
  @RegisterExtension final AppProcesses processes = new AppProcesses();

  @Test
  void aMissingCertificateStopsTheStartWithOneLineNamingTheFile(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing-cert.pem");
    Process app = start(Map.of("HTTP_PORT", "0", "TLS_CERT_FILE", missing.toString(),
        "TLS_KEY_FILE", dir.resolve("key.pem").toString()), Redirect.PIPE);

    assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(app.exitValue()).isEqualTo(1);
    assertThat(lines(app.getErrorStream())).containsExactly("hello: TLS_CERT_FILE=" + missing + ": no such file");
    assertThat(lines(app.getInputStream())).isEmpty();
  }

  @Test
  void aPortInUseStopsTheStartWithOneLineNamingThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Process app = start(Map.of("HTTP_PORT", String.valueOf(taken.getLocalPort())), Redirect.PIPE);

      assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(app.exitValue()).isEqualTo(1);
      assertThat(lines(app.getErrorStream()))
          .containsExactly("hello: cannot listen on http port " + taken.getLocalPort() + ": Address already in use");
    }
  }

  /**
   * Clients keep requesting over keep-alive connections while SIGTERM arrives. The app must stop within the grace
   * period with status 0, and no client may see a response cut short: every response the app logged arrived whole.
   */
  @Test
  void sigtermStopsGracefullyUnderLoadAndExitsZero() throws Exception {
    int port = JavaCommand.freePort();
    Process app = start(Map.of("HTTP_PORT", String.valueOf(port)), Redirect.INHERIT);
    ProcessLines stdout = new ProcessLines(app.getInputStream());
    assertThat(stdout.next()).isEqualTo("listening on http port " + port);

    int clients = 4;
    CountDownLatch everyClientAnswered = new CountDownLatch(clients);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<Integer>> received = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      received.add(pool.submit(() -> requestUntilClosed(port, everyClientAnswered)));
    }
    assertThat(everyClientAnswered.await(30, TimeUnit.SECONDS)).isTrue();
    // SIGTERM through the handle: Process.destroy() would also close our end of the app's stdout.
    app.toHandle().destroy();

    assertThat(app.waitFor(HelloVerticle.SHUTDOWN_GRACE_SECONDS + 5, TimeUnit.SECONDS)).as("exited in time").isTrue();
    assertThat(app.exitValue()).isZero();
    int whole = 0;
    for (Future<Integer> count : received) {
      whole += count.get(10, TimeUnit.SECONDS);
    }
    pool.shutdown();
    List<String> log = stdout.rest();
    assertThat(log).anyMatch(line -> line.startsWith("stopping: closing the listeners, draining ")).last().isEqualTo("stopped");
    assertThat(log.stream().filter(line -> line.contains("\"GET /hello HTTP/1.1\" 200")).count()).isEqualTo(whole);
  }

  /** Requests that used to print a stack trace each: now a 400 and one access-log line each, nothing on stderr. */
  @Test
  void badRequestsGetA400AndOneLogLineEachAndNothingOnStderr(@TempDir Path dir) throws Exception {
    int port = JavaCommand.freePort();
    Path stderr = dir.resolve("stderr");
    Process app = start(Map.of("HTTP_PORT", String.valueOf(port)), Redirect.to(stderr.toFile()));
    ProcessLines stdout = new ProcessLines(app.getInputStream());
    assertThat(stdout.next()).isEqualTo("listening on http port " + port);
    List<String> requests = List.of("GET / HTTP/1.1\r\n\r\n", "GET /%zz HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    for (String request : requests) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        assertThat(RawResponse.read(new BufferedInputStream(socket.getInputStream())).status()).isEqualTo(400);
      }
    }
    app.toHandle().destroy();
    assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(stdout.rest()).filteredOn(line -> line.startsWith("127.0.0.1 "))
        .map(line -> line.replaceFirst(" \\d+us$", ""))
        .containsExactly("127.0.0.1 \"GET / HTTP/1.1\" 400 12", "127.0.0.1 \"GET /%zz HTTP/1.1\" 400 12",
            "127.0.0.1 \"-\" 400 12");
    assertThat(Files.readString(stderr)).isEmpty();
  }

  /** Requests /hello over one connection until the app closes it; returns how many whole 200 responses came. */
  private static int requestUntilClosed(int port, CountDownLatch answered) throws IOException {
    byte[] request = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    int count = 0;
    try (Socket socket = new Socket("127.0.0.1", port)) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      while (true) {
        try {
          socket.getOutputStream().write(request);
        } catch (IOException closed) {
          return count;
        }
        RawResponse response = RawResponse.read(in);
        if (response == null) {
          return count;
        }
        assertThat(response.status()).isEqualTo(200);
        count++;
        answered.countDown();
      }
    }
  }

  private Process start(Map<String, String> env, Redirect stderr) throws IOException {
    return processes.start(JavaCommand.process(JavaCommand.of(Main.class), env).redirectError(stderr));
  }

  private static List<String> lines(InputStream stream) throws IOException {
    return new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)).lines().toList();
  }
}
