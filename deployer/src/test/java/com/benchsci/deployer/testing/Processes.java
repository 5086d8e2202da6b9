package com.benchsci.deployer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What the tests that start a real process (the deployer's CLI in a JVM of its own) do to it: read, signal. */
public final class Processes {

  private Processes() {}

  /** Everything the process writes (its error stream redirected there), read to its end beside the test. */
  public static CompletableFuture<String> output(Process process) {
    return CompletableFuture.supplyAsync(() -> {
      try (InputStream in = process.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * {@code command} with SIGINT at its default disposition, as a terminal's foreground job has it. A process started
   * from a shell's background job (`cmd &` without job control: a CI runner's or a script's) inherits SIGINT ignored,
   * and a JVM keeps an ignored SIGINT ignored (HotSpot installs no handler for it, so Ctrl-C runs no shutdown hook):
   * a test that sends SIGINT would then test nothing of the process. coreutils' env resets it.
   */
  public static List<String> withSigintAtDefault(List<String> command) {
    List<String> reset = new ArrayList<>(List.of("env", "--default-signal=INT"));
    reset.addAll(command);
    return reset;
  }

  /** Sends {@code signal} (TERM, INT, KILL) to the process with kill(1), as a user or a CI runner does. */
  public static void signal(String signal, Process process) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
    }
  }
}
