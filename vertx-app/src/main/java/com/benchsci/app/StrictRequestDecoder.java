package com.benchsci.app;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;

/**
 * Vert.x's HTTP/1 request decoder with the framing rules of RFC 9112 section 6.3 that Netty relaxes: a request with
 * both Content-Length and Transfer-Encoding, or whose Transfer-Encoding does not end in chunked, has no length a server
 * and a proxy in front of it would agree on (request smuggling). Netty drops the Content-Length of the first and reads
 * the body of the second as the next request; here both become invalid requests, which the app answers 400 and closes.
 */
final class StrictRequestDecoder extends Internals.RequestDecoder {

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  /** Puts this decoder in place of Vert.x's on a new HTTP/1 connection, as its server's connection handler. */
  static void install(HttpConnection connection, HttpServerOptions options) {
    Internals.replaceRequestDecoder(connection, options, StrictRequestDecoder::new);
  }

  /** Netty's hook for Content-Length beside chunked: it would drop the Content-Length and carry on. */
  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw new IllegalArgumentException("Content-Length and Transfer-Encoding together");
  }

  /** Called for every request head before Netty decides how its body is framed: the place to refuse the framing. */
  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage message) {
    List<String> codings = message.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (!codings.isEmpty()) {
      String all = String.join(",", codings);
      String last = all.substring(all.lastIndexOf(',') + 1).strip();
      if (!last.equalsIgnoreCase("chunked")) {
        throw new IllegalArgumentException("Transfer-Encoding does not end in chunked: " + all);
      }
    }
    return super.isContentAlwaysEmpty(message);
  }
}
