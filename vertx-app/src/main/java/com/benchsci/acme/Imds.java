package com.benchsci.acme;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The EC2 instance metadata service, IMDSv2 (the stack requires it, with a hop limit of 1, which a process on the
 * instance itself meets): a session token first, then the metadata asked for with it.
 */
final class Imds {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final URI endpoint;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  Imds(URI endpoint) {
    this.endpoint = endpoint;
  }

  /** A metadata value such as {@code public-ipv4}; empty when the instance has none (404). */
  Optional<String> metadata(String path) throws IOException, InterruptedException {
    HttpResponse<String> token = send(HttpRequest.newBuilder(endpoint.resolve("/latest/api/token"))
        .header("X-aws-ec2-metadata-token-ttl-seconds", "60")
        .PUT(HttpRequest.BodyPublishers.noBody()));
    if (token.statusCode() != 200) {
      throw new IOException("IMDS at " + endpoint + " answered HTTP " + token.statusCode() + " for a session token");
    }
    HttpResponse<String> value = send(HttpRequest.newBuilder(endpoint.resolve("/latest/meta-data/" + path))
        .header("X-aws-ec2-metadata-token", token.body()));
    if (value.statusCode() == 404) {
      return Optional.empty();
    }
    if (value.statusCode() != 200) {
      throw new IOException("IMDS at " + endpoint + " answered HTTP " + value.statusCode() + " for " + path);
    }
    return Optional.of(value.body().strip());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    try {
      return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException("IMDS at " + endpoint + " cannot be reached (" + e + ")", e);
    }
  }
}
