package com.benchsci.deployer.emulator;

import com.benchsci.deployer.tools.ToolCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real moto server (the local AWS API emulator) as a plain process on a free loopback port. Used by the
 * tests and by the local deploy; nothing here fakes AWS.
 */
public final class MotoServer implements AutoCloseable {

  private static final Duration START_LIMIT = Duration.ofSeconds(60);

  // moto prints this once it listens; with "-p 0" it is the only place the chosen port shows.
  private static final Pattern LISTENING = Pattern.compile("Running on http://127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final int port;
  /** Stops moto when this JVM ends (a test run's end, or a SIGINT/SIGTERM), unless it is {@link #keepRunning}. */
  private final Thread stopAtExit;

  private MotoServer(Process process, int port) {
    this.process = process;
    this.port = port;
    this.stopAtExit = new Thread(process::destroyForcibly, "moto-stop-at-exit");
    Runtime.getRuntime().addShutdownHook(stopAtExit);
  }

  /**
   * Starts moto on 127.0.0.1 and returns once it answers HTTP; its output goes to {@code log}. moto picks its own
   * free port ({@code -p 0}) and the port is read from its log: a port found free here and handed over would leave
   * a moment in which another process (another test's moto, on a busy machine) could take it, and this server would
   * then talk to that one.
   */
  public static MotoServer start(ToolCache tools, Path log) {
    List<String> command = new ArrayList<>(tools.motoServer());
    command.addAll(List.of("-H", "127.0.0.1", "-p", "0"));
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      try {
        return new MotoServer(process, awaitReady(process, log));
      } catch (RuntimeException e) {
        process.destroyForcibly();
        throw e;
      }
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

  /** Leaves moto running after this JVM ends: the local deploy keeps its stacks there for the next deploy. */
  public void keepRunning() {
    forgetStopAtExit();
  }

  /** Stops moto and returns once the process is gone: SIGTERM, then SIGKILL when it takes over 5 s (a busy machine). */
  @Override
  public void close() {
    forgetStopAtExit();
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void forgetStopAtExit() {
    try {
      Runtime.getRuntime().removeShutdownHook(stopAtExit);
    } catch (IllegalStateException exiting) {
      // The JVM is already exiting: the hook runs (or ran) anyway.
    }
  }

  /** Waits until moto has said which port it listens on and answers there; returns that port. */
  private static int awaitReady(Process process, Path log) throws IOException {
    Instant deadline = Instant.now().plus(START_LIMIT);
    int port = 0;
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto server exited with " + process.exitValue() + "; see " + log);
      }
      if (port == 0) {
        Matcher listening = LISTENING.matcher(new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1));
        port = listening.find() ? Integer.parseInt(listening.group(1)) : 0;
      }
      if (port != 0 && answers(URI.create("http://127.0.0.1:" + port))) {
        return port;
      }
      try {
        Thread.sleep(100); // a poll interval: the log and the answer decide
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("moto server did not " + (port == 0 ? "say its port" : "answer on port " + port)
        + " within " + START_LIMIT + "; see " + log);
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
}
