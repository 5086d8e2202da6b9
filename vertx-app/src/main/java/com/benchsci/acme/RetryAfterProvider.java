package com.benchsci.acme;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.Connection;
import org.shredzone.acme4j.connector.DefaultConnection;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * acme4j's provider for any CA, whose connections also keep the Retry-After header of the CA's last error response:
 * acme4j 4.0 hands it on only with a rateLimited error, and a CA may send it with any error (a 503 during maintenance).
 */
final class RetryAfterProvider extends GenericAcmeProvider {
  private final AtomicReference<Optional<Instant>> lastError = new AtomicReference<>(Optional.empty());

  /** The Retry-After of the CA's last error response, if it sent one. */
  Optional<Instant> retryAfterOfLastError() {
    return lastError.get();
  }

  @Override
  public Connection connect(URI serverUri, NetworkSettings networkSettings, HttpClient httpClient) {
    return new DefaultConnection(createHttpConnector(networkSettings, httpClient)) {
      @Override
      protected void sendRequest(Session session, URL url, Consumer<HttpRequest.Builder> body) throws IOException {
        super.sendRequest(session, url, body);
        if (lastResponse != null && lastResponse.statusCode() >= 400) {
          Optional<Instant> retryAfter;
          try {
            retryAfter = getRetryAfter();
          } catch (RuntimeException unreadable) {
            retryAfter = Optional.empty();
          }
          lastError.set(retryAfter);
        }
      }
    };
  }
}
