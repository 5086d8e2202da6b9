package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The answers to the CA's http-01 challenges (RFC 8555 section 8.3) come from files the ACME service writes, so the
 * two rollout slots, here two Vert.x instances as two JVMs would be, answer the same token the moment it is written.
 */
class AcmeChallengeTest {
  private static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
  private static final String KEY_AUTHORIZATION = TOKEN + ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

  @TempDir Path challenges;
  private final List<Vertx> slots = new ArrayList<>();

  @AfterEach
  void stop() {
    slots.forEach(vertx -> vertx.close().await());
  }

  @Test
  void bothSlotsAnswerATokenTheServiceWrote() throws Exception {
    int a = slot(Optional.of(challenges));
    int b = slot(Optional.of(challenges));
    Files.writeString(challenges.resolve(TOKEN), KEY_AUTHORIZATION);

    for (int port : List.of(a, b)) {
      HttpResponse<Buffer> answer = get(port, "/.well-known/acme-challenge/" + TOKEN);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.bodyAsString()).isEqualTo(KEY_AUTHORIZATION);
    }
  }

  @Test
  void aTokenWithNoFileIsA404() throws Exception {
    assertThat(get(slot(Optional.of(challenges)), "/.well-known/acme-challenge/" + TOKEN).statusCode()).isEqualTo(404);
  }

  /** Nothing but a base64url token names a file: no way out of the directory, no hidden file. */
  @ParameterizedTest
  @ValueSource(strings = {"..%2Fsecret", "%2E%2E%2Fsecret", ".hidden", "a%00b"})
  void onlyBase64UrlTokensNameAFile(String token) throws Exception {
    Path inside = Files.createDirectory(challenges.resolve("inside"));
    Files.writeString(challenges.resolve("secret"), "not for the CA");
    Files.writeString(inside.resolve(".hidden"), "not for the CA");

    assertThat(get(slot(Optional.of(inside)), "/.well-known/acme-challenge/" + token).statusCode()).isEqualTo(404);
  }

  @Test
  void withoutAChallengeDirectoryThePathIsA404() throws Exception {
    Files.writeString(challenges.resolve(TOKEN), KEY_AUTHORIZATION);

    assertThat(get(slot(Optional.empty()), "/.well-known/acme-challenge/" + TOKEN).statusCode()).isEqualTo(404);
  }

  /** A slot of its own: a Vert.x instance serving the app with {@code challenges}; returns its HTTP port. */
  private int slot(Optional<Path> challenges) {
    Vertx vertx = Vertx.vertx();
    slots.add(vertx);
    HelloVerticle verticle = new HelloVerticle(new Config(0, Optional.empty(), Config.Limits.DEFAULT, challenges),
        Optional.empty(), new Connections(100));
    vertx.deployVerticle(verticle).await();
    return verticle.httpPort();
  }

  private HttpResponse<Buffer> get(int port, String path) {
    return WebClient.create(slots.get(0)).get(port, "localhost", path).send().await();
  }
}
