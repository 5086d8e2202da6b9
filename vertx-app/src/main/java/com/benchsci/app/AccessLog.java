package com.benchsci.app;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * One line per request on stdout, handed to {@link Stdout} when the response has ended; journald adds the timestamp.
 * Also the headers every response carries.
 */
final class AccessLog {
  private AccessLog() {}

  static void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    HttpServerRequest request = ctx.request();
    ctx.addEndHandler(done -> print(request, requestLine(request), ctx.response(), start));
    ctx.next();
  }

  /** Browsers must not guess a content type; Vert.x sends no Server banner, so there is nothing to remove. */
  static void secure(HttpServerResponse response) {
    response.putHeader("X-Content-Type-Options", "nosniff");
  }

  /** e.g. {@code 127.0.0.1 "GET /hello HTTP/1.1" 200 243 85us} */
  static void print(HttpServerRequest request, String requestLine, HttpServerResponse response, long startNanos) {
    SocketAddress peer = request.remoteAddress();
    String line = (peer == null ? "-" : peer.hostAddress()) + " \"" + requestLine + "\" "
        + response.getStatusCode() + ' ' + response.bytesWritten() + ' '
        + (System.nanoTime() - startNanos) / 1000 + "us";
    Stdout.get().access(line);
  }

  static String requestLine(HttpServerRequest request) {
    return request.method() + " " + request.uri() + ' ' + version(request);
  }

  private static String version(HttpServerRequest request) {
    return switch (request.version()) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_1_1 -> "HTTP/1.1";
      case HTTP_2 -> "HTTP/2";
    };
  }
}
