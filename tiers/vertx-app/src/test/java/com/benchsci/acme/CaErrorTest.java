package com.benchsci.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA's error answers that Pebble never gives, and which decide when the client asks again: a 503 with
 * Retry-After (a CA in maintenance) and a rateLimited problem with Retry-After (RFC 8555 section 6.6). A CA on
 * loopback answers the directory and then only the error; the run must leave the next attempt at the CA's time.
 */
class CaErrorTest {
  private static final Duration RETRY_AFTER = Duration.ofSeconds(7200);
  @TempDir Path dir;
  private HttpServer ca;
  private String base;

  @BeforeEach
  void startTheCa() throws IOException {
    ca = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    base = "http://127.0.0.1:" + ca.getAddress().getPort();
    ca.createContext("/dir", exchange -> answer(exchange, 200, "application/json", """
        {"newNonce": "%1$s/nonce", "newAccount": "%1$s/account", "newOrder": "%1$s/order"}""".formatted(base)));
    ca.start();
  }

  @AfterEach
  void stopTheCa() {
    ca.stop(0);
  }

  @Test
  void aServerErrorsRetryAfterIsHonoured() throws Exception {
    ca.createContext("/nonce", exchange -> {
      exchange.getResponseHeaders().add("Retry-After", String.valueOf(RETRY_AFTER.toSeconds()));
      answer(exchange, 503, "application/problem+json",
          "{\"type\": \"urn:ietf:params:acme:error:serverInternal\", \"detail\": \"down for maintenance\"}");
    });

    assertNextAttemptIsTheCasRetryAfter();
  }

  @Test
  void aRateLimitsRetryAfterIsHonoured() throws Exception {
    ca.createContext("/nonce", exchange -> {
      exchange.getResponseHeaders().add("Replay-Nonce", "bm9uY2U");
      answer(exchange, 200, "text/plain", "");
    });
    ca.createContext("/account", exchange -> {
      exchange.getResponseHeaders().add("Replay-Nonce", "bm9uY2Uy");
      exchange.getResponseHeaders().add("Retry-After", String.valueOf(RETRY_AFTER.toSeconds()));
      answer(exchange, 429, "application/problem+json",
          "{\"type\": \"urn:ietf:params:acme:error:rateLimited\", \"detail\": \"too many new registrations\"}");
    });

    assertNextAttemptIsTheCasRetryAfter();
  }

  /** One run of the client against the CA fails, leaving the next attempt at the CA's Retry-After (within 5 s). */
  private void assertNextAttemptIsTheCasRetryAfter() throws Exception {
    Instant before = Instant.now();
    AcmeState state = renewOnce();

    assertThat(state.nextAttempt()).hasValueSatisfying(next -> assertThat(next)
        .isBetween(before.plus(RETRY_AFTER).minusSeconds(5), Instant.now().plus(RETRY_AFTER).plusSeconds(5)));
    assertThat(state.failuresInARow()).isEqualTo(1);
  }

  /** One run of the client against the CA, for 127.0.0.1; returns the state it leaves. */
  private AcmeState renewOnce() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state"));
    AcmeSettings settings = new AcmeSettings(Optional.of(URI.create(base + "/dir")), Optional.empty(),
        dir.resolve("cert.pem"), dir.resolve("key.pem"), Files.createDirectories(dir.resolve("challenges")), state,
        Optional.of(InetAddress.getByName("127.0.0.1")), URI.create("http://127.0.0.1:1"));
    new CertificateService(settings).renew();
    return AcmeState.load(state.resolve("state.properties"));
  }

  private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
    if (!head) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }
}
