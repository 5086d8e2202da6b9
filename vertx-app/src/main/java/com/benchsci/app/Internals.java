package com.benchsci.app;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.function.Function;

/**
 * Every use of Vert.x's and Netty's internal APIs in the app, and nothing else: classes in {@code impl} and
 * {@code internal} packages and Netty's {@code unsafe()}, which their authors may change in any release. An upgrade
 * that breaks one of these fails {@code InternalsTest}, which exercises each on the real libraries. (The
 * {@code io.vertx.core.spi.transport} interface {@link ServerTransport} implements is Vert.x's service-provider API,
 * not an internal one.)
 */
final class Internals {
  /** Vert.x's name for the HTTP/1 request decoder it puts in each connection's pipeline. */
  static final String HTTP_DECODER = "httpDecoder";

  private Internals() {}

  /** Netty logs through java.util.logging, whatever else is on the class path (see {@link LeanStart}). */
  static void nettyLogsThroughJul() {
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
  }

  /** Vert.x's event loops, to register a channel of the app's own (systemd's notify socket) on one of them. */
  static EventLoopGroup eventLoops(Vertx vertx) {
    return ((VertxInternal) vertx).nettyEventLoopGroup();
  }

  /**
   * Closes a connection Netty has accepted but not yet registered with an event loop: {@code close()} would need that
   * event loop, the channel's unsafe does not.
   */
  static void closeUnregistered(Channel connection) {
    connection.unsafe().closeForcibly();
  }

  /**
   * Puts {@code decoder} (made from the server's options) in place of Vert.x's HTTP/1 request decoder on a new
   * connection. Runs as the server's connection handler, which Vert.x calls while it builds the pipeline, before a
   * byte of the connection is decoded. Returns whether there was a decoder to replace.
   */
  static boolean replaceRequestDecoder(HttpConnection connection, HttpServerOptions options,
      Function<HttpServerOptions, RequestDecoder> decoder) {
    ChannelPipeline pipeline = ((ConnectionBase) connection).channelHandlerContext().pipeline();
    if (pipeline.get(HTTP_DECODER) == null) {
      return false;
    }
    pipeline.replace(HTTP_DECODER, HTTP_DECODER, decoder.apply(options));
    return true;
  }

  /**
   * Vert.x's HTTP/1 request decoder (Netty's, with Vert.x's faster header map and the server's size limits), for the
   * app to refine through Netty's own protected hooks.
   */
  abstract static class RequestDecoder extends VertxHttpRequestDecoder {
    RequestDecoder(HttpServerOptions options) {
      super(options);
    }
  }
}
