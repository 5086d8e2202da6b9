package com.benchsci.deployer.tools;

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

  private ExternalCommand() {}

  /**
   * Runs {@code command} with no input. Throws when it cannot start, outlives {@code limit} (then it is killed) or
   * the wait is interrupted; any exit code is returned for the caller to judge.
   */
  public static Result run(List<String> command, Duration limit) {
    String shown = String.join(" ", command);
    Path stderr = null;
    try {
      // stderr goes to a file, so a tool that fills one pipe while we read the other can never block.
      stderr = Files.createTempFile("hello-host-tool", ".err");
      Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
      process.getOutputStream().close();
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("'" + shown + "' did not finish within " + limit);
      }
      return new Result(process.exitValue(), stdout, Files.readString(stderr, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run '" + shown + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running '" + shown + "'", e);
    } finally {
      deleteQuietly(stderr);
    }
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
