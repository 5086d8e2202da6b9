package com.benchsci.deployer.tools;

import com.benchsci.deployer.core.DeployException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external tool (cfn-lint, cfn-guard, npm, pip, a version probe) to its end within a time limit, with
 * standard output and standard error kept apart: the tools print JSON or XML on stdout and diagnostics on stderr.
 */
public final class ExternalCommand {

  /** How the tool ended; {@code stderr} is for messages only. */
  public record Result(int exitCode, String stdout, String stderr) {
    public String output() {
      return stderr.isBlank() ? stdout : stderr + stdout;
    }
  }

  /** How long a killed tool may take to be gone. */
  private static final Duration KILLED_LIMIT = Duration.ofSeconds(10);

  private ExternalCommand() {}

  /**
   * Runs {@code command} with no input. Throws when it cannot start, outlives {@code limit} (then it and every
   * process it started are killed) or the wait is interrupted; any exit code is returned for the caller to judge.
   */
  public static Result run(List<String> command, Duration limit) {
    String shown = String.join(" ", command);
    Path stdout = null;
    Path stderr = null;
    try {
      // Both outputs go to files, read once the tool has ended: the wait is bounded whatever the tool does with
      // them (a tool that hangs holds its output open, itself or through a child that inherited it), and a tool
      // that fills one pipe while the other is being read can never block.
      stdout = Files.createTempFile("hello-host-tool", ".out");
      stderr = Files.createTempFile("hello-host-tool", ".err");
      Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
      try {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
          stopTree(process);
          throw new DeployException(Path.of(command.get(0)).getFileName() + " did not finish within "
              + text(limit) + ": stopped it and its child processes (" + shown + ")");
        }
      } catch (InterruptedException e) {
        stopTree(process);
        Thread.currentThread().interrupt();
        throw new DeployException("interrupted while running '" + shown + "'", e);
      }
      return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run '" + shown + "': " + e.getMessage(), e);
    } finally {
      deleteQuietly(stdout);
      deleteQuietly(stderr);
    }
  }

  /**
   * Kills the tool and every process it started. The children are listed first: once their parent is gone they
   * are no longer its descendants, and one that inherited the tool's output would otherwise live on.
   */
  private static void stopTree(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(KILLED_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** "5 min", "90 s". */
  private static String text(Duration limit) {
    long seconds = limit.toSeconds();
    return seconds >= 60 && seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a leftover temp file is harmless
      }
    }
  }
}
