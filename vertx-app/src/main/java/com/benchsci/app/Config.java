package com.benchsci.app;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The app's settings, read from environment variables so the systemd unit can set them.
 *
 * @param httpPort HTTP_PORT, default 8080 (0 picks a free port)
 * @param https present only when TLS_CERT_FILE and TLS_KEY_FILE are set
 * @param limits what one client, or many, may hold of the app
 * @param acmeChallenges ACME_CHALLENGE_DIR: where the ACME service puts the answers to its CA's http-01 challenges,
 *     one file per token, served at {@code /.well-known/acme-challenge/<token>}; unset, that path is a 404
 */
public record Config(int httpPort, Optional<Https> https, Limits limits, Optional<Path> acmeChallenges) {
  static final int DEFAULT_HTTP_PORT = 8080;
  static final int DEFAULT_HTTPS_PORT = 8443;

  /** The default limits, no ACME challenges. */
  public Config(int httpPort, Optional<Https> https) {
    this(httpPort, https, Limits.DEFAULT, Optional.empty());
  }

  /** The HTTPS listener: HTTPS_PORT (default 8443) and the PEM certificate chain and private key. */
  public record Https(int port, Path certFile, Path keyFile) {}

  /**
   * @param maxConnections MAX_CONNECTIONS: connections open at once, both ports together; more are closed as they
   *     arrive. The default leaves room under the host's descriptor limit (LimitNOFILE=20000) and fits the 64 MiB heap.
   * @param requestTimeoutSeconds REQUEST_TIMEOUT_SECONDS: a connection must deliver a whole request within this long
   *     of opening or of its previous response, or it is closed (this bounds slow-header clients and idle keep-alive)
   * @param drainSeconds DRAIN_SECONDS: on SIGTERM, after the listeners close, how long open connections still get
   *     answers (each with {@code Connection: close}) before the rest are closed
   */
  public record Limits(int maxConnections, int requestTimeoutSeconds, int drainSeconds) {
    static final Limits DEFAULT = new Limits(19_000, 10, 2);
  }

  /** Parses the settings; a bad value stops the app with a one-line message naming the variable. */
  public static Config fromEnv(Map<String, String> env) {
    int httpPort = port(env, "HTTP_PORT", DEFAULT_HTTP_PORT);
    Limits limits = new Limits(
        number(env, "MAX_CONNECTIONS", Limits.DEFAULT.maxConnections(), 1),
        number(env, "REQUEST_TIMEOUT_SECONDS", Limits.DEFAULT.requestTimeoutSeconds(), 1),
        number(env, "DRAIN_SECONDS", Limits.DEFAULT.drainSeconds(), 0));
    Optional<Path> challenges = value(env, "ACME_CHALLENGE_DIR").map(Path::of);
    Optional<String> cert = value(env, "TLS_CERT_FILE");
    Optional<String> key = value(env, "TLS_KEY_FILE");
    if (cert.isPresent() != key.isPresent()) {
      String missing = cert.isPresent() ? "TLS_KEY_FILE" : "TLS_CERT_FILE";
      String present = cert.isPresent() ? "TLS_CERT_FILE" : "TLS_KEY_FILE";
      throw new ConfigException(present + " is set but " + missing + " is not: HTTPS needs both");
    }
    if (cert.isEmpty()) {
      // Refuse rather than silently serve no HTTPS: someone asked for a listener we cannot open.
      if (value(env, "HTTPS_PORT").isPresent()) {
        throw new ConfigException("HTTPS_PORT is set but TLS_CERT_FILE and TLS_KEY_FILE are not: HTTPS needs both");
      }
      return new Config(httpPort, Optional.empty(), limits, challenges);
    }
    int httpsPort = port(env, "HTTPS_PORT", DEFAULT_HTTPS_PORT);
    return new Config(httpPort, Optional.of(new Https(httpsPort, Path.of(cert.get()), Path.of(key.get()))), limits,
        challenges);
  }

  /**
   * Reads the PEM files now, at start, so a missing or unreadable one is reported by name instead of failing later
   * inside the TLS stack.
   */
  public static PemKeyCertOptions readKeyCert(Https https) {
    Buffer cert = readPem("TLS_CERT_FILE", https.certFile(), "-----BEGIN CERTIFICATE-----");
    Buffer key = readPem("TLS_KEY_FILE", https.keyFile(), "PRIVATE KEY-----");
    return new PemKeyCertOptions().setCertValue(cert).setKeyValue(key);
  }

  private static Buffer readPem(String variable, Path file, String marker) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(variable + "=" + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new ConfigException(variable + "=" + file + ": permission denied");
    } catch (IOException e) {
      throw new ConfigException(variable + "=" + file + ": cannot be read (" + e.getMessage() + ")");
    }
    if (!text.contains(marker)) {
      throw new ConfigException(variable + "=" + file + ": not PEM, expected a block ending in " + marker);
    }
    return Buffer.buffer(text);
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    return integer(env, name, fallback, 0, 65535, "a port number from 0 to 65535");
  }

  private static int number(Map<String, String> env, String name, int fallback, int min) {
    return integer(env, name, fallback, min, Integer.MAX_VALUE, "a whole number of at least " + min);
  }

  private static int integer(Map<String, String> env, String name, int fallback, int min, int max, String expected) {
    Optional<String> text = value(env, name);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(text.get());
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below with the offending value
    }
    throw new ConfigException(name + " must be " + expected + ", got '" + text.get() + "'");
  }

  /** An empty value counts as unset, as systemd's {@code Environment=NAME=} means. */
  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  /** A setting the app cannot start with; its message is the one line the operator sees. */
  public static final class ConfigException extends RuntimeException {
    ConfigException(String message) {
      super(message, null, false, false);
    }
  }
}
