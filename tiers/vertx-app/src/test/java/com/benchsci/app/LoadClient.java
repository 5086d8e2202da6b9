package com.benchsci.app;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that request {@code GET /hello} from 127.0.0.1 in a loop until stopped, half their threads over kept-alive
 * connections (reconnecting only when the server says {@code Connection: close}), half on a new connection per request
 * (over TLS: a new handshake each, the part a certificate swap touches). In the test's own JVM, or as a process of its
 * own ({@link #main}, plain HTTP) so it can run inside another network namespace.
 *
 * <p>A failure is anything a user would see go wrong: a failed handshake, a refused or reset connection, a request sent
 * and answered by a close, a cut response, a status other than 200.
 */
final class LoadClient implements AutoCloseable {
  private static final byte[] REQUEST =
      "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** Opens a connection to the server under load. */
  interface Connect {
    Socket open() throws Exception;
  }

  private final Connect connect;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger ok = new AtomicInteger();
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();

  /** Starts {@code threadsOfEachKind} threads of each kind. */
  LoadClient(Connect connect, int threadsOfEachKind) {
    this.connect = connect;
    for (int i = 0; i < threadsOfEachKind; i++) {
      threads.add(new Thread(() -> run(true), "load-keep-alive"));
      threads.add(new Thread(() -> run(false), "load-new-connections"));
    }
    threads.forEach(Thread::start);
  }

  /**
   * As a process: {@code LoadClient <port> <threads of each kind>} prints {@code running} once as many answers as
   * threads came, and when its stdin ends, stops and prints {@code ok=N failed=M} and then one line per failure.
   */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int threadsOfEachKind = Integer.parseInt(args[1]);
    LoadClient load = new LoadClient(() -> new Socket("127.0.0.1", port), threadsOfEachKind);
    load.awaitMore(2 * threadsOfEachKind);
    System.out.println("running");
    System.out.flush();
    System.in.readAllBytes();
    List<String> failures = load.stop();
    System.out.println("ok=" + load.ok.get() + " failed=" + failures.size());
    failures.forEach(System.out::println);
    System.out.flush();
  }

  /** Waits until at least {@code answers} more requests have been answered with 200 (and fails after 30 s). */
  void awaitMore(int answers) throws InterruptedException {
    int target = ok.get() + answers;
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (ok.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the load got " + ok.get() + " answers, not " + target + "; failures: "
            + failures);
      }
      Thread.sleep(5);
    }
  }

  /** Stops the clients; returns the failures they saw. */
  List<String> stop() throws InterruptedException {
    stop.set(true);
    for (Thread thread : threads) {
      thread.join();
    }
    return List.copyOf(failures);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private void run(boolean keepAlive) {
    while (!stop.get()) {
      try (Socket socket = connect.open()) {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        boolean open = true;
        while (open && !stop.get()) {
          socket.getOutputStream().write(REQUEST);
          RawResponse response = RawResponse.read(in);
          if (response == null) {
            throw new IOException("the request was answered by a close");
          }
          if (response.status() != 200) {
            failures.add("status " + response.status());
          } else {
            ok.incrementAndGet();
          }
          open = keepAlive && !response.closes();
        }
      } catch (Exception e) {
        failures.add((keepAlive ? "keep-alive: " : "new connection: ") + e);
      }
    }
  }
}
