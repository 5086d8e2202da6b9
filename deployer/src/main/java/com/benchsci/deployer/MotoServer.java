package com.benchsci.deployer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A real moto server (the local AWS API emulator) as a plain process on a free loopback port. Used by the
 * tests and by the local deploy; nothing here fakes AWS.
 */
public final class MotoServer implements AutoCloseable {

  private static final Duration START_LIMIT = Duration.ofSeconds(60);

  private final Process process;
  private final int port;

  private MotoServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts moto on 127.0.0.1 and returns once it answers HTTP; its output goes to {@code log}. */
  public static MotoServer start(ToolCache tools, Path log) {
    int port = freePort();
    List<String> command = new ArrayList<>(tools.motoServer());
    command.addAll(List.of("-H", "127.0.0.1", "-p", Integer.toString(port)));
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      MotoServer server = new MotoServer(process, port);
      server.awaitReady(log);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start moto server (" + String.join(" ", command) + ")", e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** Forgets every resource moto holds, so a test starts from an empty account. */
  public void reset() {
    try {
      HttpURLConnection c = (HttpURLConnection) endpoint().resolve("/moto-api/reset").toURL().openConnection();
      c.setRequestMethod("POST");
      if (c.getResponseCode() != 200) {
        throw new IllegalStateException("moto reset answered HTTP " + c.getResponseCode());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reset moto at " + endpoint(), e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(Duration.ofSeconds(5).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void awaitReady(Path log) {
    Instant deadline = Instant.now().plus(START_LIMIT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto server exited with " + process.exitValue() + "; see " + log);
      }
      if (answers()) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    throw new IllegalStateException("moto server did not answer on " + endpoint() + " within " + START_LIMIT
        + "; see " + log);
  }

  private boolean answers() {
    return answers(endpoint());
  }

  /** Whether a moto server answers at {@code endpoint} (used to reuse one left running by an earlier deploy). */
  public static boolean answers(URI endpoint) {
    try {
      HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      return c.getResponseCode() > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
