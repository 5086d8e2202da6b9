package com.benchsci.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A process's output lines as they come, read on a daemon thread, so a test can wait for one with a timeout. */
final class ProcessLines {
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final Thread reader;

  ProcessLines(InputStream stream) {
    reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        lines.lines().forEach(queue::add);
      } catch (IOException | UncheckedIOException e) {
        // the process was killed; its output ends here
      }
    }, "process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** The next line, or null when none came within 30 s. */
  String next() throws InterruptedException {
    return queue.poll(30, TimeUnit.SECONDS);
  }

  /** The next line {@code wanted} accepts, passing over those before it (an app's access-log lines, say). */
  String next(Predicate<String> wanted) throws InterruptedException {
    for (String line = next(); line != null; line = next()) {
      if (wanted.test(line)) {
        return line;
      }
    }
    throw new AssertionError("no such line within 30 s");
  }

  /** Every line not taken yet, once the stream has ended. */
  List<String> rest() throws InterruptedException {
    reader.join(TimeUnit.SECONDS.toMillis(10));
    List<String> rest = new ArrayList<>();
    queue.drainTo(rest);
    return rest;
  }
}
