package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each use of Vert.x's and Netty's internals ({@link Internals}) on the real libraries: an upgrade that renames,
 * moves or changes one fails here, by name, rather than quietly in production (a decoder no longer replaced would
 * let request smuggling back in without a single error).
 */
@ExtendWith(VertxExtension.class)
class InternalsTest {

  @Test
  void vertxStillNamesItsHttp1DecoderSoTheStrictOneReplacesIt(Vertx vertx) throws Exception {
    HttpServerOptions options = new HttpServerOptions();
    CompletableFuture<Boolean> replaced = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer(options)
        .connectionHandler(connection -> replaced.complete(
            Internals.replaceRequestDecoder(connection, options, StrictRequestDecoder::new)))
        .requestHandler(request -> request.response().end("ok"));
    server.listen(0).await();

    int status = WebClient.create(vertx).get(server.actualPort(), "localhost", "/").send().await().statusCode();

    assertThat(status).isEqualTo(200);
    assertThat(replaced.get(10, TimeUnit.SECONDS))
        .as("Vert.x's HTTP/1 decoder is named '%s' in a new connection's pipeline", Internals.HTTP_DECODER)
        .isTrue();
  }

  @Test
  void theEventLoopsAreVertxsOwn(Vertx vertx) throws Exception {
    String thread = Internals.eventLoops(vertx).next().submit(() -> Thread.currentThread().getName())
        .get(10, TimeUnit.SECONDS);

    assertThat(thread).startsWith("vert.x-eventloop-thread-");
  }

  @Test
  void aConnectionNoEventLoopHoldsIsClosed() {
    NioSocketChannel unregistered = new NioSocketChannel();
    assertThat(unregistered.isOpen()).isTrue();

    Internals.closeUnregistered(unregistered);

    assertThat(unregistered.isOpen()).isFalse();
  }

  @Test
  void nettyLogsThroughJul() {
    Internals.nettyLogsThroughJul();

    assertThat(InternalLoggerFactory.getDefaultFactory()).isSameAs(JdkLoggerFactory.INSTANCE);
  }
}
