package com.benchsci.app;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process's stdout (journald, on the host), written by a thread of its own: event loops hand their lines over and
 * never wait on a write. While stdout does not keep up (journald slow or stopped) and {@link #LIMIT} lines are already
 * waiting, further access-log lines are dropped and counted, and the count is written as a line of its own once
 * stdout takes lines again. The app's own lines are never dropped.
 */
final class Stdout {
  /** Lines waiting at most before access lines are dropped: a few hundred KiB of heap. */
  static final int LIMIT = 8192;
  // Lines gather this long between writes: one write call for many lines, yet a line is out within a blink.
  private static final long GATHER_MILLIS = 20;
  private static final Stdout STDOUT = new Stdout(new FileOutputStream(FileDescriptor.out));

  private final OutputStream out;
  private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong queued = new AtomicLong();
  private long written; // guarded by this

  Stdout(OutputStream out) {
    this.out = out;
    Thread writer = new Thread(this::writeForever, "stdout-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** The process's stdout. */
  static Stdout get() {
    return STDOUT;
  }

  /** An access-log line: queued at once, or dropped and counted while {@link #LIMIT} lines wait. */
  void access(String line) {
    if (queue.size() >= LIMIT) {
      dropped.incrementAndGet();
      return;
    }
    event(line);
  }

  /** One of the app's own lines: always queued, never waited on (it may come from an event loop). */
  void event(String line) {
    queued.incrementAndGet();
    queue.add(line);
  }

  /** Waits until every line queued before this call is written, at most {@code limit}; returns whether they were. */
  boolean flush(Duration limit) throws InterruptedException {
    long target = queued.get();
    long deadline = System.nanoTime() + limit.toNanos();
    synchronized (this) {
      while (written < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  private void writeForever() {
    List<String> batch = new ArrayList<>();
    try {
      while (true) {
        batch.add(queue.take());
        Thread.sleep(GATHER_MILLIS);
        queue.drainTo(batch);
        write(batch);
        synchronized (this) {
          written += batch.size();
          notifyAll();
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(List<String> batch) {
    StringBuilder text = new StringBuilder(batch.size() * 64);
    long lost = dropped.getAndSet(0);
    if (lost > 0) {
      text.append("access log: ").append(lost).append(" lines dropped: stdout did not keep up\n");
    }
    batch.forEach(line -> text.append(line).append('\n'));
    try {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      // stdout is gone (journald stopped and its pipe closed): nothing left to tell it, and serving goes on
    }
  }
}
