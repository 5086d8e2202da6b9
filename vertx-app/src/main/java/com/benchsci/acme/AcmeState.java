package com.benchsci.acme;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * What one run of the client leaves for the next (the timer starts a new JVM each time): when the CA may be asked
 * again and how many failures came in a row, which CA the served certificate came from, the CA's renewal window for it
 * and when to ask for it again, and the last line said, so a state that lasts is said once, not every run.
 */
final class AcmeState {
  private final Properties values;

  private AcmeState(Properties values) {
    this.values = values;
  }

  static AcmeState load(Path file) throws IOException {
    Properties values = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      values.load(in);
    } catch (NoSuchFileException e) {
      // the first run
    }
    return new AcmeState(values);
  }

  void save(Path file) throws IOException {
    StringWriter text = new StringWriter();
    values.store(text, "hello-acme: written by each run, read by the next");
    AtomicFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8), AtomicFile.PRIVATE);
  }

  /** Before this, the CA is not asked for a certificate (a backoff after a failure). */
  Optional<Instant> nextAttempt() {
    return instant("next-attempt");
  }

  int failuresInARow() {
    return Integer.parseInt(values.getProperty("failures-in-a-row", "0"));
  }

  void failed(Backoff.Next next, int failuresInARow) {
    values.setProperty("next-attempt", next.at().toString());
    values.setProperty("failures-in-a-row", String.valueOf(failuresInARow));
  }

  void succeeded() {
    values.remove("next-attempt");
    values.remove("failures-in-a-row");
  }

  /** The CA's renewal window for the certificate with this serial, as last fetched. */
  Optional<Renewal.Window> renewalWindow(BigInteger serial) {
    if (!serial.toString(16).equals(values.getProperty("ari-serial"))) {
      return Optional.empty();
    }
    return instant("ari-start").flatMap(start -> instant("ari-end").map(end -> new Renewal.Window(start, end)));
  }

  /** When the CA's renewal window for the certificate with this serial is due to be fetched (again). */
  Instant renewalWindowCheck(BigInteger serial) {
    return serial.toString(16).equals(values.getProperty("ari-serial"))
        ? instant("ari-next-check").orElse(Instant.EPOCH) : Instant.EPOCH;
  }

  /** Remembers the window (or that the CA gave none) for the certificate with this serial until {@code nextCheck}. */
  void renewalWindow(BigInteger serial, Optional<Renewal.Window> window, Instant nextCheck) {
    values.setProperty("ari-serial", serial.toString(16));
    values.setProperty("ari-next-check", nextCheck.toString());
    values.remove("ari-start");
    values.remove("ari-end");
    window.ifPresent(w -> {
      values.setProperty("ari-start", w.start().toString());
      values.setProperty("ari-end", w.end().toString());
    });
  }

  /** The CA directory the certificate with this serial came from, when this client ordered it. */
  Optional<URI> issuedBy(BigInteger serial) {
    return serial.toString(16).equals(values.getProperty("served-serial"))
        ? Optional.ofNullable(values.getProperty("served-from")).map(URI::create) : Optional.empty();
  }

  /** Remembers that the certificate with this serial came from {@code directory}. */
  void issued(BigInteger serial, URI directory) {
    values.setProperty("served-serial", serial.toString(16));
    values.setProperty("served-from", directory.toString());
  }

  /** Whether {@code line} differs from the last one said; remembers it. */
  boolean isNews(String line) {
    boolean news = !line.equals(values.getProperty("last-line"));
    values.setProperty("last-line", line);
    return news;
  }

  private Optional<Instant> instant(String key) {
    return Optional.ofNullable(values.getProperty(key)).map(Instant::parse);
  }
}
