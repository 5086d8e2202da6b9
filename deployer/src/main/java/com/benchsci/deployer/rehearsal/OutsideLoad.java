package com.benchsci.deployer.rehearsal;

import com.benchsci.deployer.deploy.HttpCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Requests from outside the host, as its users make them, while a rollout runs: {@value #CLIENTS} clients each
 * asking for the greeting one request after the other over the internet, counting every answer that is not HTTP 200
 * with the greeting, and every request that got no answer, as failed.
 */
final class OutsideLoad implements AutoCloseable {

  static final int CLIENTS = 4;

  /** What the load saw; {@code firstFailure} is empty when nothing failed. */
  record Result(long requests, long failures, String firstFailure) {}

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicReference<String> firstFailure = new AtomicReference<>("");
  private final List<Thread> clients = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();

  private OutsideLoad(URI url) {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET().build();
    for (int i = 0; i < CLIENTS; i++) {
      Thread client = new Thread(() -> {
        while (running.get()) {
          ask(request);
        }
      }, "rehearsal-load-" + i);
      client.setDaemon(true);
      clients.add(client);
    }
  }

  static OutsideLoad start(URI url) {
    OutsideLoad load = new OutsideLoad(url);
    load.clients.forEach(Thread::start);
    return load;
  }

  private void ask(HttpRequest request) {
    String failure;
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      failure = response.statusCode() == 200 && response.body().contains(HttpCheck.GREETING) ? null
          : "HTTP " + response.statusCode();
    } catch (IOException e) {
      failure = e.getClass().getSimpleName() + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.set(false);
      return;
    }
    requests.incrementAndGet();
    if (failure != null) {
      failures.incrementAndGet();
      firstFailure.compareAndSet("", failure);
    }
  }

  /** Stops the clients once their requests in flight are answered, and says what they saw. */
  Result stop() {
    running.set(false);
    for (Thread client : clients) {
      try {
        client.join(Duration.ofSeconds(15).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new Result(requests.get(), failures.get(), firstFailure.get());
  }

  @Override
  public void close() {
    stop();
  }
}
