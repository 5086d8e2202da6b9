package com.benchsci.app;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Serves the greeting on HTTP and, when a certificate is configured, on HTTPS. */
public final class HelloVerticle extends VerticleBase {
  static final String GREETING = "Hello World from BenchSci!";
  static final String HTML = "text/html; charset=utf-8";
  static final String TEXT = "text/plain; charset=utf-8";
  static final String JSON = "application/json";

  // Built once: every response reuses the same bytes.
  private static final Buffer PAGE = Buffer.buffer("""
      <!DOCTYPE html>
      <html lang="en">
      <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
      <title>BenchSci</title></head>
      <body><h1>%s</h1></body>
      </html>
      """.formatted(GREETING));
  private static final Buffer HEALTH = Buffer.buffer("{\"status\":\"UP\"}\n");
  private static final Buffer NOT_FOUND = Buffer.buffer("Not Found\n");
  private static final String ALLOWED = "GET, HEAD";
  // RFC 8555 section 8.3: tokens are base64url; anything else names no file the ACME service wrote.
  private static final Pattern ACME_TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");

  // Requests still running when SIGTERM arrives get this long to finish before their connections are cut.
  static final int SHUTDOWN_GRACE_SECONDS = 3;

  private final Config config;
  private final Optional<PemKeyCertOptions> keyCert;
  private final Connections connections;
  private final List<HttpServer> servers = new ArrayList<>();

  /**
   * {@code keyCert} is the certificate read by {@link Config#readKeyCert}, present exactly when HTTPS is configured;
   * {@code connections} says when a stop is draining the connections.
   */
  HelloVerticle(Config config, Optional<PemKeyCertOptions> keyCert, Connections connections) {
    this.config = config;
    this.keyCert = keyCert;
    this.connections = connections;
  }

  @Override
  public Future<?> start() {
    Router router = router();
    List<Future<HttpServer>> listening = new ArrayList<>();
    listening.add(listen(router, hardened(), "http", config.httpPort()));
    config.https().ifPresent(https -> listening.add(
        listen(router, Tls.onServer(hardened(), keyCert.orElseThrow()), "https", https.port())));
    return Future.all(listening);
  }

  /** Stops accepting, lets in-flight requests finish (bounded), then closes the connections. */
  @Override
  public Future<?> stop() {
    return Future.all(servers.stream().map(s -> s.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)).toList());
  }

  /** The port the HTTP listener got (useful when HTTP_PORT is 0). */
  public int httpPort() {
    return servers.get(0).actualPort();
  }

  /** The port the HTTPS listener got. */
  public int httpsPort() {
    return servers.get(1).actualPort();
  }

  /**
   * New HTTPS connections get {@code keyCert} from now on; open ones keep theirs. Listeners of other instances on the
   * same port share one server, which the first call updates and later ones find already up to date.
   */
  Future<Boolean> useCertificate(PemKeyCertOptions keyCert) {
    return servers.get(1).updateSSLOptions(Tls.options(keyCert));
  }

  private Future<HttpServer> listen(Router router, HttpServerOptions options, String scheme, int port) {
    HttpServer server = vertx.createHttpServer(options)
        .connectionHandler(connection -> StrictRequestDecoder.install(connection, options))
        .requestHandler(request -> checkThenRoute(request, router))
        .invalidRequestHandler(this::rejectMalformed);
    servers.add(server);
    // Name the port in the one line the operator sees: "Address already in use" alone does not say which. Netty's
    // native errors begin "bind(..) failed with error(-98): ", which says nothing more to an operator.
    return server.listen(port).recover(e -> Future.failedFuture("cannot listen on " + scheme + " port " + port + ": "
        + e.getMessage().replaceFirst("^\\w+\\(\\.\\.\\) failed with error\\(-\\d+\\): ", "")));
  }

  /**
   * Limits that keep a hostile or broken client cheap. Headers over 8 KiB get 431, a request line over 4 KiB gets 414.
   * A connection must deliver a whole request within the request timeout of opening or of its previous response:
   * a timer on the last write, not the last read, so a client trickling header bytes (slowloris) is closed as surely
   * as an idle one. Strict thread mode (everything here runs on the connection's event loop) spares each connection
   * Vert.x's cross-thread write queue, about half of what an idle connection otherwise holds. Compression, WebSocket
   * extensions and HTTP/2 stay off: nothing here needs them (Vert.x would otherwise accept HTTP/2 cleartext, by prior
   * knowledge or by {@code Upgrade: h2c}). SO_REUSEPORT lets the next instance of the app listen on the same ports
   * before this one stops.
   */
  private HttpServerOptions hardened() {
    return new HttpServerOptions()
        .setMaxHeaderSize(8 * 1024)
        .setMaxInitialLineLength(4 * 1024)
        .setWriteIdleTimeout(config.limits().requestTimeoutSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setStrictThreadMode(true)
        .setCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        .setHttp2ClearTextEnabled(false)
        .setReusePort(true);
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(AccessLog::handle);
    router.route().handler(this::closeWhenDraining);
    getOrHead(router.route("/")).handler(ctx -> send(ctx, 200, HTML, PAGE));
    getOrHead(router.route("/hello")).handler(ctx -> send(ctx, 200, HTML, PAGE));
    getOrHead(router.route("/health")).handler(ctx -> send(ctx, 200, JSON, HEALTH));
    getOrHead(router.route("/.well-known/acme-challenge/:token")).handler(this::acmeChallenge);
    router.errorHandler(404, ctx -> send(ctx, 404, TEXT, NOT_FOUND));
    router.errorHandler(405, ctx -> {
      ctx.response().putHeader(HttpHeaders.ALLOW, ALLOWED);
      send(ctx, 405, TEXT, Buffer.buffer("Method Not Allowed\n"));
    });
    router.errorHandler(500, ctx -> send(ctx, 500, TEXT, Buffer.buffer("Internal Server Error\n")));
    return router;
  }

  /**
   * While a stop drains the connections, every answer asks the client to close and then closes: a client that sends
   * on a kept-alive connection gets its answer and opens its next connection to the instance still listening.
   */
  private void closeWhenDraining(RoutingContext ctx) {
    if (connections.draining()) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
      ctx.addEndHandler(ended -> ctx.request().connection().close());
    }
    ctx.next();
  }

  /**
   * The answer to the CA's http-01 challenge for a token, from the file the ACME service wrote for it: a file, so
   * whichever rollout slot is serving port 80 has it. Read by Vert.x's file system on a worker thread, off the event
   * loop; a token with no file is a 404.
   */
  private void acmeChallenge(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    if (config.acmeChallenges().isEmpty() || !ACME_TOKEN.matcher(token).matches()) {
      send(ctx, 404, TEXT, NOT_FOUND);
      return;
    }
    String file = config.acmeChallenges().get().resolve(token).toString();
    vertx.fileSystem().readFile(file).onComplete(read -> {
      if (read.succeeded()) {
        send(ctx, 200, TEXT, read.result());
      } else {
        send(ctx, 404, TEXT, NOT_FOUND);
      }
    });
  }

  private static Route getOrHead(Route route) {
    return route.method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  /**
   * Every request the decoder could parse passes here first. Every response gets the security headers here, errors
   * included. A request HTTP/1.1 calls bad (no Host, or more than one; an HTTP/2 preface sent in clear text lands here
   * too) or with a %-escape that is not one gets a 400
   * here, before the router, which would otherwise print a stack trace for each.
   */
  private static void checkThenRoute(HttpServerRequest request, Router router) {
    AccessLog.secure(request.response());
    if (hostMissingOrRepeated(request) || !validEscapes(request.uri())) {
      long start = System.nanoTime();
      HttpServerResponse response = request.response();
      response.endHandler(ended -> AccessLog.print(request, AccessLog.requestLine(request), response, start));
      response.setStatusCode(400)
          .putHeader(HttpHeaders.CONTENT_TYPE, TEXT)
          .end("Bad Request\n");
    } else {
      router.handle(request);
    }
  }

  private static boolean hostMissingOrRepeated(HttpServerRequest request) {
    int hosts = request.headers().getAll(HttpHeaders.HOST).size();
    return hosts > 1 || hosts == 0 && request.version() != HttpVersion.HTTP_1_0;
  }

  /** Whether every '%' in the request target starts two hex digits. */
  static boolean validEscapes(String target) {
    for (int i = target.indexOf('%'); i >= 0; i = target.indexOf('%', i + 1)) {
      if (i + 2 >= target.length() || Character.digit(target.charAt(i + 1), 16) < 0
          || Character.digit(target.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Content-Length is set explicitly so HEAD answers carry it too, as they would for GET. */
  private static void send(RoutingContext ctx, int status, String contentType, Buffer body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
        .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()))
        .end(body);
  }

  /**
   * Requests the HTTP decoder could not parse never reach the router: answer them with the fitting status and a short
   * body, then close the connection, since the rest of its byte stream cannot be trusted.
   */
  private void rejectMalformed(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = 400;
    String body = "Bad Request\n";
    if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      body = "Request Header Fields Too Large\n";
    } else if (cause instanceof TooLongHttpLineException) {
      status = 414;
      body = "URI Too Long\n";
    }
    long start = System.nanoTime();
    HttpServerResponse response = request.response();
    AccessLog.secure(response);
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, TEXT)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(body)
        .onComplete(done -> {
          // What Netty parsed of a malformed request is a stand-in, not what the client sent: log no request line.
          AccessLog.print(request, "-", response, start);
          request.connection().close();
        });
  }
}
