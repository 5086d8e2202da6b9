package com.benchsci.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts the app from environment variables. Start failures print one line on stderr and exit 1; SIGTERM stops
 * accepting, lets in-flight requests finish and exits 0.
 */
public final class Main {
  // Bounded so a stuck close can never hold systemd's stop: the grace period plus a little.
  private static final long STOP_WAIT_SECONDS = HelloVerticle.SHUTDOWN_GRACE_SECONDS + 2;

  private Main() {}

  public static void main(String[] args) {
    Config config;
    Optional<PemKeyCertOptions> keyCert;
    try {
      config = Config.fromEnv(System.getenv());
      keyCert = config.https().map(Config::readKeyCert);
    } catch (Config.ConfigException e) {
      fail(e.getMessage());
      return;
    }

    Vertx vertx = Vertx.vertx();
    // One verticle instance per core: each runs on its own event loop and they share the listening ports.
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    try {
      vertx.deployVerticle(() -> new HelloVerticle(config, keyCert), new DeploymentOptions().setInstances(instances))
          .await();
    } catch (Exception e) {
      vertx.close();
      fail("cannot start: " + e.getMessage());
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx), "graceful-stop"));
    String https = config.https().map(h -> ", https port " + h.port()).orElse("");
    System.out.println("listening on http port " + config.httpPort() + https);
  }

  /**
   * Runs on SIGTERM. A JVM ended by a signal would exit 143; a stop that finished cleanly is a success, so halt with 0
   * (and 1 when the bounded wait ran out).
   */
  private static void stop(Vertx vertx) {
    System.out.println("stopping: finishing in-flight requests");
    int status = 0;
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
      System.out.println("stopped");
    } catch (Exception e) {
      System.out.println("stop did not finish within " + STOP_WAIT_SECONDS + " s: " + e);
      status = 1;
    }
    System.out.flush();
    Runtime.getRuntime().halt(status);
  }

  private static void fail(String message) {
    System.err.println("hello: " + message);
    System.exit(1);
  }
}
