package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The limits that keep one client from taking the app down, with small settings so they show at once: the connection
 * cap and the request timeout. Runs the verticle on the app's own transport, as {@link Main} does.
 */
class LimitsTest {
  private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private Vertx vertx;
  private int port;

  private void start(Config.Limits limits) {
    Connections connections = new Connections(limits.maxConnections());
    vertx = Vertx.builder().withTransport(new ServerTransport(connections)).build();
    HelloVerticle verticle = new HelloVerticle(new Config(0, Optional.empty(), limits, Optional.empty()), Optional.empty(), connections);
    vertx.deployVerticle(verticle).await();
    port = verticle.httpPort();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aConnectionOverTheCapIsClosedAtOnceWhileTheOthersKeepBeingServed() throws Exception {
    start(new Config.Limits(2, 3600, 0));
    try (Socket first = new Socket("127.0.0.1", port); Socket second = new Socket("127.0.0.1", port)) {
      InputStream firstIn = new BufferedInputStream(first.getInputStream());
      InputStream secondIn = new BufferedInputStream(second.getInputStream());
      // An answer on each proves the app has accepted both: the cap is full.
      assertThat(exchange(first, firstIn).status()).isEqualTo(200);
      assertThat(exchange(second, secondIn).status()).isEqualTo(200);

      try (Socket third = new Socket("127.0.0.1", port)) {
        // One write is safe whatever the timing: a close is only answered by a reset after data arrived.
        third.getOutputStream().write(REQUEST);
        assertThat(RawResponse.read(third.getInputStream())).as("no answer, only a close").isNull();
      }
      assertThat(exchange(first, firstIn).status()).isEqualTo(200);
    }
  }

  /**
   * A slowloris client: a request line, then a header line every 100 ms, never the blank line that ends the head.
   * Each line resets a read timeout; the request timeout still closes the connection.
   */
  @Test
  void aClientTricklingItsHeadersIsClosedAfterTheRequestTimeout() throws Exception {
    start(new Config.Limits(10, 1, 0));
    // Held until the end: Vert.x closes the connections of a NetClient that has become unreachable.
    NetClient client = vertx.createNetClient();
    NetSocket socket = client.connect(port, "localhost").await();
    Buffer received = Buffer.buffer();
    socket.handler(received::appendBuffer);
    Promise<Void> closed = Promise.promise();
    socket.closeHandler(closed::complete);
    AtomicInteger linesSent = new AtomicInteger();
    socket.write("GET / HTTP/1.1\r\nHost: localhost\r\n");
    long trickle = vertx.setPeriodic(100, id -> socket.write("X-Slow: " + linesSent.incrementAndGet() + "\r\n"));

    closed.future().await(30, TimeUnit.SECONDS);
    vertx.cancelTimer(trickle);
    client.close();

    assertThat(received.length()).as("bytes the app answered").isZero();
    assertThat(linesSent.get()).as("header lines sent before the close").isPositive();
  }

  private static RawResponse exchange(Socket socket, InputStream in) throws Exception {
    socket.getOutputStream().write(REQUEST);
    return RawResponse.read(in);
  }
}
