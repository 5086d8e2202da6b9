package com.benchsci.hostharness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk loading the booted host from inside its network namespace until {@link #stop()}: on SIGINT wrk ends its run and
 * prints its summary, which says how many requests it made and how many failed (socket errors of any kind, answers
 * other than 2xx/3xx, and answers slower than its timeout).
 */
public final class WrkLoad implements AutoCloseable {

  /** What wrk counted over its run. */
  public record Counts(long requests, long failed, String summary) {}

  /** Only a bound for a test that never stops its load; every run is stopped by SIGINT long before. */
  private static final String MAX_DURATION = "600s";
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

  /** The pause after each answer in {@link #steady}: about 100 requests a second per connection at most. */
  static final Duration PACE = Duration.ofMillis(10);

  private final Process process;
  private final Path output;
  private final Path script; // null for a load flat out

  private WrkLoad(Process process, Path output, Path script) {
    this.process = process;
    this.output = output;
    this.script = script;
  }

  /**
   * The tests' load: each connection sends a request, then pauses {@link #PACE} before the next, so a run costs a
   * bounded share of the machine the other tests share (flat out, wrk and the host took about a core for every second
   * a rollout lasted). Every connection still has a request in flight or just answered when a slot switches.
   */
  public static WrkLoad steady(NspawnContainer host, String url, int connections, String... headers) {
    return start(host, url, connections, PACE, headers);
  }

  /** As many requests as wrk can make: the bench's load (bench/host-rollout.sh). */
  public static WrkLoad flatOut(NspawnContainer host, String url, int connections, String... headers) {
    return start(host, url, connections, Duration.ZERO, headers);
  }

  private static WrkLoad start(NspawnContainer host, String url, int connections, Duration pause, String... headers) {
    // stdbuf: wrk's "Running" line reaches the file at once instead of at exit. One descriptor per connection: wrk
    // inherits this JVM's limit, which the JVM raised to the hard limit.
    List<String> argv = new ArrayList<>(List.of("stdbuf", "-oL", "wrk", "--threads",
        connections > 1000 ? "2" : "1", "--connections", Integer.toString(connections),
        "--duration", MAX_DURATION, "--timeout", "2s"));
    for (String header : headers) {
      argv.addAll(List.of("--header", header));
    }
    Path script = null;
    try {
      if (!pause.isZero()) {
        // wrk's script API: delay() is the milliseconds a connection waits before it sends its next request.
        script = Files.createTempFile("hello-host-wrk", ".lua");
        Files.writeString(script, "function delay() return " + pause.toMillis() + " end\n");
        argv.addAll(List.of("--script", script.toString()));
      }
      argv.add(url);
      Path output = Files.createTempFile("hello-host-wrk", ".txt");
      Process process = new ProcessBuilder(host.inNetwork(argv.toArray(String[]::new))).redirectErrorStream(true)
          .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .start();
      WrkLoad load = new WrkLoad(process, output, script);
      // wrk prints this line once its threads run; from then on it counts every request.
      NspawnContainer.awaitTrue("wrk to start loading " + url, Duration.ofSeconds(30),
          () -> load.summary().contains("Running") || !process.isAlive());
      if (!process.isAlive()) {
        throw new IllegalStateException("wrk exited at once:\n" + load.summary());
      }
      return load;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start wrk", e);
    }
  }

  /** Ends the run the way Ctrl-C does and returns what wrk counted. */
  public Counts stop() {
    Cmd.Result interrupt = Cmd.run(Duration.ofSeconds(10), List.of("kill", "-INT", Long.toString(process.pid())));
    try {
      if (!interrupt.ok() || !process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("wrk did not end its run cleanly on SIGINT (" + interrupt.describe() + "):\n"
            + summary());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for wrk", e);
    }
    String summary = summary();
    Matcher requests = REQUESTS.matcher(summary);
    if (!requests.find()) {
      throw new IllegalStateException("no request count in wrk's summary:\n" + summary);
    }
    long failed = 0;
    Matcher errors = SOCKET_ERRORS.matcher(summary);
    if (errors.find()) {
      for (int group = 1; group <= 4; group++) {
        failed += Long.parseLong(errors.group(group));
      }
    }
    Matcher non2xx = NON_2XX.matcher(summary);
    if (non2xx.find()) {
      failed += Long.parseLong(non2xx.group(1));
    }
    return new Counts(Long.parseLong(requests.group(1)), failed, summary);
  }

  private String summary() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      return "(no wrk output: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
      Files.deleteIfExists(output);
      if (script != null) {
        Files.deleteIfExists(script);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // a temp file left behind is harmless
    }
  }
}
