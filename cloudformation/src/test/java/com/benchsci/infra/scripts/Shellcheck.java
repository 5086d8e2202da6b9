package com.benchsci.infra.scripts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * shellcheck at one pinned version, Debian's package {@value #DEBIAN_VERSION} (bookworm's): used when it is on the
 * PATH at that version, else installed with apt-get when this runs as root, as the host boot test installs its host
 * tools. Another version is never used: its checks differ, so the verdict would depend on the machine.
 */
final class Shellcheck {

  static final String DEBIAN_VERSION = "0.9.0-1";
  /** What {@code shellcheck --version} prints for that package. */
  static final String VERSION = "0.9.0";

  private static final Duration APT_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(2);

  /**
   * A command's exit code and output. From {@link #check}: one finding per line in gcc's format
   * ({@code file:line:column: level: message [SCnnnn]}), nothing when clean.
   */
  record Outcome(int exitCode, String output) {
    boolean clean() {
      return exitCode == 0 && output.isBlank();
    }
  }

  private Shellcheck() {}

  /** Why shellcheck {@value #VERSION} cannot run here, or null when it can (after installing it when missing). */
  static String whyUnavailable() {
    String found = installedVersion();
    if (VERSION.equals(found)) {
      return null;
    }
    String have = found == null ? "no shellcheck on the PATH" : "shellcheck " + found + " on the PATH";
    if (!"0".equals(run(Duration.ofSeconds(10), List.of("id", "-u")).output().strip())) {
      return have + ", and not running as root to apt-get install shellcheck=" + DEBIAN_VERSION;
    }
    System.out.println("[shellcheck] " + have + ": installing shellcheck=" + DEBIAN_VERSION + " with apt-get");
    // Waits for dpkg's lock instead of failing while another build's apt-get holds it; a stale package list gets
    // one update, the way bench/lib.sh installs wrk.
    List<String> install = List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "--allow-downgrades",
        "-o", "DPkg::Lock::Timeout=300", "-o", "Dpkg::Use-Pty=0", "shellcheck=" + DEBIAN_VERSION);
    Outcome attempt = run(APT_TIMEOUT, install);
    if (attempt.exitCode() != 0) {
      run(APT_TIMEOUT, List.of("apt-get", "update", "-q", "-o", "DPkg::Lock::Timeout=300"));
      attempt = run(APT_TIMEOUT, install);
    }
    String now = installedVersion();
    if (!VERSION.equals(now)) {
      return "apt-get install shellcheck=" + DEBIAN_VERSION + " left " + (now == null ? "no shellcheck" : now)
          + " on the PATH: " + attempt.output().strip().lines().reduce((a, b) -> b).orElse("");
    }
    return null;
  }

  /** The version of the shellcheck on the PATH; null when there is none. */
  private static String installedVersion() {
    Outcome version;
    try {
      version = run(Duration.ofSeconds(30), List.of("shellcheck", "--version"));
    } catch (UncheckedIOException notFound) {
      return null;
    }
    if (version.exitCode() != 0) {
      return null;
    }
    return version.output().lines().filter(l -> l.startsWith("version: ")).map(l -> l.substring(9).strip())
        .findFirst().orElse("unknown");
  }

  /**
   * shellcheck over these scripts, run in {@code directory} (the repository root, so that {@code source bench/lib.sh}
   * and {@code # shellcheck source=} paths resolve), following sourced files, with no rc file that could switch
   * checks off.
   */
  static Outcome check(Path directory, List<Path> scripts) {
    List<String> command = new ArrayList<>(List.of("shellcheck", "--norc", "--external-sources", "--format=gcc"));
    scripts.forEach(s -> command.add(s.toString()));
    return run(CHECK_TIMEOUT, command, directory);
  }

  private static Outcome run(Duration limit, List<String> command) {
    return run(limit, command, Path.of("."));
  }

  /** Runs a command to its end or the time limit (then kills it); its output goes to a file, so waiting is bounded. */
  private static Outcome run(Duration limit, List<String> command, Path directory) {
    Path output = null;
    try {
      output = Files.createTempFile("shellcheck-", ".out");
      Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      process.getOutputStream().close();
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + limit);
      }
      return new Outcome(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // a temporary file left behind in the system's temp folder costs nothing worth failing for
        }
      }
    }
  }
}
