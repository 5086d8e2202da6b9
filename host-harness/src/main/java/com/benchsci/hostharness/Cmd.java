package com.benchsci.hostharness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a host command to completion under a deadline and keeps what it printed, for assertions and failure messages. */
public final class Cmd {

  /** What a finished command returned. */
  public record Result(List<String> command, int exit, String out, String err) {
    public boolean ok() {
      return exit == 0;
    }

    /** The command, its exit code and its output, for a failure message. */
    public String describe() {
      return String.join(" ", command) + " -> exit " + exit
          + (out.isBlank() ? "" : "\n--- stdout ---\n" + out.strip())
          + (err.isBlank() ? "" : "\n--- stderr ---\n" + err.strip());
    }
  }

  private Cmd() {}

  public static Result run(Duration timeout, List<String> command) {
    return run(timeout, null, command);
  }

  /**
   * Runs {@code command} with {@code stdin} (a file, or nothing) as its input. Output goes to temporary files rather
   * than pipes, so a chatty command can never block on a full pipe while we wait for it.
   */
  public static Result run(Duration timeout, Path stdin, List<String> command) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("hello-host-cmd", ".out");
      err = Files.createTempFile("hello-host-cmd", ".err");
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())
          : ProcessBuilder.Redirect.from(stdin.toFile()));
      builder.environment().put("LC_ALL", "C");
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        return new Result(command, -1, read(out), read(err) + "\n(killed: no answer within " + timeout.toSeconds() + "s)");
      }
      return new Result(command, process.exitValue(), read(out), read(err));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  /**
   * Runs a long command and prints each line it writes as it comes, prefixed, so a wait of minutes shows progress.
   * Fails with the last lines of output when the command fails or outlives {@code timeout}.
   */
  public static void runShowingProgress(String prefix, Duration timeout, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().put("LC_ALL", "C");
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    java.util.Deque<String> tail = new java.util.ArrayDeque<>();
    try {
      Process process = builder.start();
      Thread printer = new Thread(() -> {
        try (var lines = process.inputReader(StandardCharsets.UTF_8)) {
          String line;
          while ((line = lines.readLine()) != null) {
            System.out.println(prefix + line);
            synchronized (tail) {
              tail.addLast(line);
              if (tail.size() > 30) {
                tail.removeFirst();
              }
            }
          }
        } catch (IOException ignored) {
          // the process went away; its exit code says what happened
        }
      }, "progress-" + prefix);
      printer.setDaemon(true);
      printer.start();
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.destroyForcibly().waitFor();
      }
      printer.join(5_000);
      if (!finished || process.exitValue() != 0) {
        synchronized (tail) {
          throw new IllegalStateException(String.join(" ", command)
              + (finished ? " failed with exit " + process.exitValue() : " did not finish within " + timeout.toMinutes() + " min")
              + "; last output:\n" + String.join("\n", tail));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temp file left behind is harmless; the result matters more
      }
    }
  }

  /** Ends a long-running process (a server): SIGTERM, then SIGKILL if it is still there after {@code grace}. */
  public static void stop(Process process, Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
