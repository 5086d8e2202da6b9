package com.benchsci.deployer.deploy;

import com.benchsci.deployer.core.Backoff;
import com.benchsci.deployer.core.DeployException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * After a prod deploy: the public URL must answer the greeting, not just the stack be complete. An https URL is
 * checked with this JVM's trust store and host name verification, so only a certificate a browser trusts passes.
 */
public final class HttpCheck {

  public static final String GREETING = "Hello World from BenchSci!";

  private HttpCheck() {}

  public static void expectGreeting(URI url, Duration limit, PrintWriter out) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET().build();
    Instant deadline = Instant.now().plus(limit);
    Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(15));
    String last = "";
    out.printf("Checking %s answers \"%s\" (up to %ds)%n", url, GREETING, limit.toSeconds());
    while (true) {
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains(GREETING)) {
          out.printf("%s answered HTTP 200 with the greeting.%n", url);
          return;
        }
        last = "HTTP " + response.statusCode();
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + " " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeployException("interrupted while checking " + url);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new DeployException(url + " did not answer the greeting within " + limit.toSeconds() + "s (last: "
            + last + ")");
      }
      out.flush();
      backoff.pause();
    }
  }
}
