package com.benchsci.deployer.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.deployer.core.DeployException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The post-deploy check against a real local HTTP server that is not ready at first. Each method has a server of its
 * own, so the two waits (the check's backoff, its time limit) run side by side. Seconds of real waiting make it an
 * emulator-tier class (docs/testing.md).
 */
@Tag("emulator")
@Execution(ExecutionMode.CONCURRENT)
class HttpCheckTest {

  private final AtomicInteger calls = new AtomicInteger();
  private final StringWriter out = new StringWriter();
  private HttpServer server;
  private volatile String body = HttpCheck.GREETING;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      boolean ready = calls.incrementAndGet() > 1;
      byte[] bytes = (ready ? "<h1>" + body + "</h1>" : "booting").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(ready ? 200 : 503, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @Test
  void retriesUntilTheGreetingIsServed() {
    HttpCheck.expectGreeting(url(), Duration.ofSeconds(30), new PrintWriter(out, true));
    assertThat(calls.get()).isEqualTo(2);
    assertThat(out.toString()).contains("answered HTTP 200 with the greeting");
  }

  @Test
  void aWrongPageFailsAtTheLimitNamingTheUrl() {
    body = "Welcome to nginx!";
    assertThatThrownBy(() -> HttpCheck.expectGreeting(url(), Duration.ofSeconds(3), new PrintWriter(out, true)))
        .isInstanceOf(DeployException.class)
        .hasMessage(url() + " did not answer the greeting within 3s (last: HTTP 200)");
  }
}
