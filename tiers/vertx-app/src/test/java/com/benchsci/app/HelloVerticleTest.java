package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real verticle on a free port, called over real HTTP. */
@ExtendWith(VertxExtension.class)
class HelloVerticleTest {
  private WebClient client;
  private int port;

  @BeforeEach
  void deploy(Vertx vertx) {
    HelloVerticle verticle = new HelloVerticle(new Config(0, Optional.empty()), Optional.empty(), new Connections(100));
    vertx.deployVerticle(verticle).await();
    port = verticle.httpPort();
    client = WebClient.create(vertx);
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path) {
    return client.request(method, port, "localhost", path).send().await();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/hello"})
  void greetsAsUtf8HtmlWithoutBannerAndWithNosniff(String path) {
    HttpResponse<Buffer> response = call(HttpMethod.GET, path);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(response.bodyAsString()).contains("<h1>Hello World from BenchSci!</h1>", "<meta charset=\"utf-8\">");
    assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(response.headers().names()).noneMatch("Server"::equalsIgnoreCase);
  }

  @Test
  void headAnswersTheSameHeadersWithoutABody() {
    HttpResponse<Buffer> get = call(HttpMethod.GET, "/");
    HttpResponse<Buffer> head = call(HttpMethod.HEAD, "/");

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.getHeader("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(head.getHeader("Content-Length")).isEqualTo(String.valueOf(get.body().length()));
    assertThat(head.body()).isNull();
  }

  @Test
  void healthIsSmallJson() {
    HttpResponse<Buffer> response = call(HttpMethod.GET, "/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
  }

  @Test
  void unknownPathIsAPlain404() {
    HttpResponse<Buffer> response = call(HttpMethod.GET, "/wp-admin");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.getHeader("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(response.bodyAsString()).isEqualTo("Not Found\n");
  }

  @Test
  void otherMethodsOnTheGreetingAreA405ThatSaysWhatIsAllowed() {
    HttpResponse<Buffer> response = call(HttpMethod.POST, "/");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.getHeader("Allow")).isEqualTo("GET, HEAD");
    assertThat(response.bodyAsString()).isEqualTo("Method Not Allowed\n");
  }

  @Test
  void headersOver8KiBAreA431() {
    HttpResponse<Buffer> response = client.get(port, "localhost", "/")
        .putHeader("X-Padding", "a".repeat(9 * 1024))
        .send()
        .await();

    assertThat(response.statusCode()).isEqualTo(431);
    assertThat(response.bodyAsString()).isEqualTo("Request Header Fields Too Large\n");
  }

  @Test
  void aRequestLineOver4KiBIsA414() {
    HttpResponse<Buffer> response = call(HttpMethod.GET, "/" + "a".repeat(5 * 1024));

    assertThat(response.statusCode()).isEqualTo(414);
  }

  @Test
  void aGarbageRequestLineIsA400AndTheServerKeepsServing() throws IOException {
    String answer = rawExchange("\u0001\u0002 THIS IS NOT HTTP\r\n\r\n");

    // Netty stands in an HTTP/1.0 request for one it cannot parse, so the status line may say 1.0.
    assertThat(answer).matches("(?s)HTTP/1\\.[01] 400 Bad Request\r\n.*\r\n\r\nBad Request\n");
    assertThat(call(HttpMethod.GET, "/").statusCode()).isEqualTo(200);
  }

  /**
   * Writes bytes on a plain TCP connection and returns everything the server sends until its end of stream. A
   * blocking socket, not a Vert.x NetSocket: there the close handler is no end-of-data signal (data goes through the
   * socket's inbound queue, the close notification does not), so under load it could run before the answer had been
   * handed over and the exchange read as empty. Here the end of stream comes after the last byte by construction.
   */
  private String rawExchange(String request) throws IOException {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000); // a server that never closes fails the test instead of hanging it
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
