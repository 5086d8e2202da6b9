package com.benchsci.app;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client run as its own process (so it can run inside another network namespace): requests {@code GET /hello} on
 * 127.0.0.1:port in a loop, half its threads over kept-alive connections (reconnecting only when the server says
 * {@code Connection: close}), half on a new connection per request. Prints {@code running} once as many answers as threads
 * came, and when its stdin ends, stops and prints {@code ok=N failed=M} and then one line per failure.
 *
 * <p>A failure is anything a user would see go wrong: a refused or reset connection, a request sent and answered by a
 * close, a cut response, a status other than 200.
 */
final class LoadClient {
  private static final byte[] REQUEST =
      "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final int port;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger ok = new AtomicInteger();
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();

  private LoadClient(int port) {
    this.port = port;
  }

  public static void main(String[] args) throws Exception {
    new LoadClient(Integer.parseInt(args[0])).run(Integer.parseInt(args[1]));
  }

  private void run(int threadsOfEachKind) throws Exception {
    CountDownLatch answered = new CountDownLatch(2 * threadsOfEachKind);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < threadsOfEachKind; i++) {
      threads.add(new Thread(() -> keepAlive(answered)));
      threads.add(new Thread(() -> newConnections(answered)));
    }
    threads.forEach(Thread::start);
    answered.await();
    System.out.println("running");
    System.out.flush();
    System.in.readAllBytes();
    stop.set(true);
    for (Thread thread : threads) {
      thread.join();
    }
    System.out.println("ok=" + ok.get() + " failed=" + failures.size());
    failures.forEach(System.out::println);
    System.out.flush();
  }

  private void keepAlive(CountDownLatch answered) {
    while (!stop.get()) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        boolean open = true;
        while (open && !stop.get()) {
          open = exchange(in, out, answered);
        }
      } catch (IOException e) {
        failures.add("keep-alive: " + e);
      }
    }
  }

  private void newConnections(CountDownLatch answered) {
    while (!stop.get()) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        exchange(new BufferedInputStream(socket.getInputStream()), socket.getOutputStream(), answered);
      } catch (IOException e) {
        failures.add("new connection: " + e);
      }
    }
  }

  /** One request and its answer; returns whether the connection stays open. */
  private boolean exchange(InputStream in, OutputStream out, CountDownLatch answered) throws IOException {
    out.write(REQUEST);
    RawResponse response = RawResponse.read(in);
    if (response == null) {
      throw new IOException("the request was answered by a close");
    }
    if (response.status() != 200) {
      failures.add("status " + response.status());
    } else {
      ok.incrementAndGet();
      answered.countDown();
    }
    return !response.closes();
  }
}
