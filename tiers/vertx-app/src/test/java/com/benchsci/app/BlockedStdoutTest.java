package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The access log never holds up a request: the app's stdout is a pipe (journald, on the host) that nobody reads for a
 * while, as when journald is slow or stopped, and the app keeps answering every request at once. Lines that do not fit
 * meanwhile are counted, and the count is written once the pipe drains, so none goes missing without a word.
 */
@Tag("emulator")
class BlockedStdoutTest {
  private static final int REQUESTS = 20_000;
  private static final Pattern DROPPED = Pattern.compile("access log: (\\d+) lines dropped: stdout did not keep up");
  @RegisterExtension final AppProcesses processes = new AppProcesses();

  @Test
  void requestsAreAnsweredWhileNobodyReadsStdoutAndTheLinesThatDidNotFitAreCounted() throws Exception {
    int port = JavaCommand.freePort();
    Process app = processes.start(JavaCommand.process(JavaCommand.of(Main.class),
        Map.of("HTTP_PORT", String.valueOf(port))).redirectError(ProcessBuilder.Redirect.INHERIT));
    InputStream stdout = app.getInputStream();
    assertThat(firstLine(stdout)).isEqualTo("listening on http port " + port);

    // Far more log than a pipe (64 KiB) and any buffer hold: a write on an event loop would block it for good.
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      byte[] request = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < REQUESTS; i++) {
        out.write(request);
        RawResponse response = RawResponse.read(in);
        assertThat(response).as("an answer to request %d, not a close", i + 1).isNotNull();
        assertThat(response.status()).isEqualTo(200);
      }
    }

    app.toHandle().destroy(); // SIGTERM: the app writes what it still holds, then stops
    List<String> rest = new String(stdout.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long logged = rest.stream().filter(line -> line.contains("\"GET /hello HTTP/1.1\" 200")).count();
    long dropped = 0;
    for (String line : rest) {
      Matcher m = DROPPED.matcher(line);
      if (m.matches()) {
        dropped += Long.parseLong(m.group(1));
      }
    }
    assertThat(dropped).as("lines dropped while the pipe was full").isPositive();
    assertThat(logged + dropped).as("every request logged or counted as dropped").isEqualTo(REQUESTS);
    assertThat(rest).last().isEqualTo("stopped");
  }

  /** Reads one line byte by byte, so nothing after it is taken off the pipe. */
  private static String firstLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      line.write(b);
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
