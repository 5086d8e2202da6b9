package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.hostharness.SelfSignedCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS 1.2 client may not renegotiate (a scanner's "client-initiated renegotiation: denial-of-service vector"): OpenSSL's
 * own client, {@code openssl s_client -tls1_2}, asks for it with its {@code R} command on a connection to the app in a
 * process of its own, and the app ends the connection instead of serving the request that follows.
 */
@Tag("emulator")
class RenegotiationTest {
  @RegisterExtension final AppProcesses processes = new AppProcesses();

  @Test
  void aClientInitiatedRenegotiationOnTls12IsRefused(@TempDir Path dir) throws Exception {
    SelfSignedCertificate cert = TestCertificate.create(dir);
    int https = JavaCommand.freePort();
    Process app = processes.start(JavaCommand.process(JavaCommand.of(Main.class), Map.of("HTTP_PORT", "0",
            "HTTPS_PORT", String.valueOf(https), "TLS_CERT_FILE", cert.certFile().toString(), "TLS_KEY_FILE",
            cert.keyFile().toString()))
        .redirectError(ProcessBuilder.Redirect.INHERIT));
    assertThat(new ProcessLines(app.getInputStream()).next()).startsWith("listening on http port ");

    String withRenegotiation = sClient(https, true);
    String without = sClient(https, false);

    assertThat(without).as("the same request without R is served").contains("HTTP/1.0 200 OK");
    assertThat(withRenegotiation).as("s_client asked to renegotiate").contains("RENEGOTIATING");
    assertThat(withRenegotiation).as("nothing served after the renegotiation request")
        .doesNotContain("HTTP/1.0 200 OK");
  }

  /**
   * Runs {@code openssl s_client -tls1_2} against the app and, with {@code renegotiate}, sends its R command and waits
   * until s_client says it acts on it; then requests /health. Returns all s_client printed.
   */
  private static String sClient(int port, boolean renegotiate) throws Exception {
    Process client = new ProcessBuilder(List.of("openssl", "s_client", "-tls1_2", "-crlf", "-connect",
        "127.0.0.1:" + port)).redirectErrorStream(true).start();
    try {
      ProcessLines output = new ProcessLines(client.getInputStream());
      List<String> seen = new ArrayList<>();
      OutputStream in = client.getOutputStream();
      if (renegotiate) {
        in.write("R\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
        // s_client drops the rest of what it read with an R: the request goes only once it has acted on it.
        for (String line = output.next(); !"RENEGOTIATING".equals(line); line = output.next()) {
          assertThat(line).as("s_client's output so far, waiting for RENEGOTIATING: %s", seen).isNotNull();
          seen.add(line);
        }
        seen.add("RENEGOTIATING");
      }
      try {
        in.write("GET /health HTTP/1.0\n\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
      } catch (IOException closed) {
        // s_client already ended: the app closed the connection
      }
      assertThat(client.waitFor(30, TimeUnit.SECONDS)).as("s_client ended").isTrue();
      seen.addAll(output.rest());
      return String.join("\n", seen);
    } finally {
      client.destroyForcibly();
    }
  }
}
