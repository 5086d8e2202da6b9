package com.benchsci.hostharness;

import com.benchsci.deployer.tools.ToolCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS API emulator (moto, at the build's pinned version from the {@link ToolCache}) listening on an address of this
 * machine: a {@link TestNetwork}'s machine address, where both this machine (the deployer, the test) and the host reach
 * it, or loopback. moto picks its own free port ({@code -p 0}), read from its log. It dies with this JVM (parent-death
 * signal).
 */
public final class Emulator implements AutoCloseable {

  private static final Duration START_LIMIT = Duration.ofSeconds(60);

  private final Process process;
  private final URI endpoint;

  private Emulator(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** Starts moto on {@code address}; its output goes to {@code log}. */
  public static Emulator start(String address, Path log) {
    List<String> command = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL"));
    command.addAll(new ToolCache(HarnessTools.cacheRoot()).motoServer());
    command.addAll(List.of("-H", address, "-p", "0"));
    Pattern listening = Pattern.compile("Running on http://" + Pattern.quote(address) + ":(\\d+)");
    Process process;
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start moto (" + String.join(" ", command) + ")", e);
    }
    URI[] endpoint = {null};
    try {
      NspawnContainer.awaitTrue("moto to listen on " + address + " (log: " + log + ")", START_LIMIT,
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("moto exited with " + process.exitValue() + "; see " + log);
            }
            if (endpoint[0] == null) {
              Matcher m = listening.matcher(read(log));
              endpoint[0] = m.find() ? URI.create("http://" + address + ":" + m.group(1)) : null;
            }
            return endpoint[0] != null && answers(endpoint[0]);
          });
      return new Emulator(process, endpoint[0]);
    } catch (RuntimeException | Error e) {
      process.destroyForcibly();
      throw e;
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean answers(URI endpoint) {
    try {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    Cmd.stop(process, Duration.ofSeconds(5));
  }
}
