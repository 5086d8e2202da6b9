package com.benchsci.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the app from environment variables. Start failures print one line on stderr and exit 1. Once both ports
 * listen it tells systemd it is ready (when NOTIFY_SOCKET is set). SIGTERM closes the listeners first, answers the
 * open connections with {@code Connection: close} for a short drain, lets in-flight requests finish and exits 0.
 */
public final class Main {
  // Bounded so a stuck close can never hold systemd's stop: the grace period plus a little.
  private static final long STOP_WAIT_SECONDS = HelloVerticle.SHUTDOWN_GRACE_SECONDS + 2;
  // A line about the app's own life waits this long at most for a stdout that does not take it.
  private static final Duration SAY_WAIT = Duration.ofSeconds(1);

  private Main() {}

  public static void main(String[] args) {
    Tls.refuseClientRenegotiation();
    LeanStart.apply();
    Config config;
    Optional<PemKeyCertOptions> keyCert;
    try {
      config = Config.fromEnv(System.getenv());
      keyCert = config.https().map(Config::readKeyCert);
    } catch (Config.ConfigException e) {
      fail(e.getMessage());
      return;
    }

    Connections connections = new Connections(config.limits().maxConnections());
    Vertx vertx = Vertx.builder().with(lean()).withTransport(new ServerTransport(connections)).build();
    // One verticle instance per core: each runs on its own event loop and they share the listening ports.
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    List<HelloVerticle> verticles = new CopyOnWriteArrayList<>();
    try {
      vertx.deployVerticle(() -> {
        HelloVerticle verticle = new HelloVerticle(config, keyCert, connections);
        verticles.add(verticle);
        return verticle;
      }, new DeploymentOptions().setInstances(instances)).await();
      SystemdNotify.ready(vertx, Optional.ofNullable(System.getenv("NOTIFY_SOCKET")));
    } catch (Exception e) {
      vertx.close();
      fail(e.getMessage());
      return;
    }
    config.https().ifPresent(https -> CertificateReload.start(https,
        pem -> verticles.stream().map(verticle -> verticle.useCertificate(pem)).toList()));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx, connections, config.limits()), "graceful-stop"));
    String https = config.https().map(h -> ", https port " + h.port()).orElse("");
    say("listening on http port " + config.httpPort() + https);
  }

  /**
   * Vert.x as this app needs it (see also {@link LeanStart}): no file cache directory, so the app writes nothing to
   * disk and runs under a read-only, sandboxed systemd unit.
   */
  private static VertxOptions lean() {
    return new VertxOptions()
        .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false));
  }

  /**
   * Runs on SIGTERM: closes the listeners (another instance on the same ports takes the new connections), answers
   * what still arrives on open connections with {@code Connection: close} until they have all closed or the drain
   * time is up, then stops Vert.x, which finishes in-flight requests and closes the rest. A JVM ended by a signal would
   * exit 143; a stop that finished cleanly is a success, so halt with 0 (and 1 when the bounded wait ran out).
   */
  private static void stop(Vertx vertx, Connections connections, Config.Limits limits) {
    say("stopping: closing the listeners, draining " + connections.open() + " connections");
    int status = 0;
    try {
      connections.stopAccepting().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
      try {
        connections.allClosed().get(limits.drainSeconds(), TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        say("drain time up: closing " + connections.open() + " connections");
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
      say("stopped");
    } catch (Exception e) {
      say("stop did not finish within " + STOP_WAIT_SECONDS + " s: " + e);
      status = 1;
    }
    Runtime.getRuntime().halt(status);
  }

  /** A line about the app's own life, written out at once (access-log lines before it go with it, in order). */
  private static void say(String line) {
    Stdout.get().event(line);
    try {
      Stdout.get().flush(SAY_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void fail(String message) {
    System.err.println("hello: " + message);
    System.exit(1);
  }
}
