package com.benchsci.app;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * A class-data sharing archive of what an app process loads (JDK 17's dynamic archive, JEP 350: the classes parsed,
 * verified and laid out once), made once per test JVM by a training run of {@link Main} that serves one HTTP and one
 * HTTPS request; every later {@link Main} process maps it instead of loading its classes from the jars. A process
 * started that way used about half the CPU to its first HTTPS answer (0.4-0.8 s against 1.1-1.2 s on this project's
 * 2-core machine), and these tests start some twenty: it is the host's AOT cache in miniature (docs/design.md), which
 * JDK 17 has no other form of. The app's behaviour is the same: the archive holds the same classes, from the same
 * jars, which the JVM checks (it ignores an archive whose jars changed).
 *
 * <p>Only a class path of jars can be archived (tiers/vertx-app, which runs every test that starts an app process):
 * elsewhere there is no archive.
 */
final class ClassArchive {

  private static final Path ARCHIVE = Path.of("target/app-classes.jsa");
  private static List<String> flags;

  private ClassArchive() {}

  /** The flags that make a {@link Main} process on {@code classPath} map the archive, made here on first use. */
  static synchronized List<String> flags(String classPath) {
    if (flags == null) {
      flags = List.of();
      if (List.of(classPath.split(java.io.File.pathSeparator)).stream().allMatch(entry -> entry.endsWith(".jar"))) {
        train();
        flags = List.of("-XX:SharedArchiveFile=" + ARCHIVE.toAbsolutePath());
      }
    }
    return flags;
  }

  /** One app process that starts, answers GET / over HTTP and HTTPS, and stops on SIGTERM, dumping its classes. */
  private static void train() {
    try {
      Files.deleteIfExists(ARCHIVE);
      Path dir = Files.createTempDirectory("app-classes");
      TestCertificate certificate = TestCertificate.create(dir);
      int http = JavaCommand.freePort();
      int https = JavaCommand.freePort();
      List<String> command = new ArrayList<>(JavaCommand.withoutArchive(
          List.of("-XX:ArchiveClassesAtExit=" + ARCHIVE.toAbsolutePath()), Main.class));
      Process app = JavaCommand.process(command, Map.of("HTTP_PORT", String.valueOf(http), "HTTPS_PORT",
          String.valueOf(https), "TLS_CERT_FILE", certificate.certFile().toString(), "TLS_KEY_FILE",
          certificate.keyFile().toString())).redirectErrorStream(true).start();
      try {
        ProcessLines output = new ProcessLines(app.getInputStream());
        output.next(line -> line.startsWith("listening on http port"));
        try (Socket socket = new Socket("127.0.0.1", http)) {
          get(socket);
        }
        try (SSLSocket socket = TestTrust.connect(TestTrust.trusting(certificate.certFile()), https)) {
          get(socket);
        }
        app.toHandle().destroy();
        if (!app.waitFor(60, TimeUnit.SECONDS) || app.exitValue() != 0 || !Files.isRegularFile(ARCHIVE)) {
          throw new IllegalStateException("the training run of the app made no class archive " + ARCHIVE
              + " (exit " + (app.isAlive() ? "none" : app.exitValue()) + ")");
        }
      } finally {
        app.destroyForcibly();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot train the app's class archive " + ARCHIVE, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot train the app's class archive " + ARCHIVE, e);
    }
  }

  private static void get(Socket socket) throws IOException {
    socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    int status = RawResponse.read(new BufferedInputStream(socket.getInputStream())).status();
    if (status != 200) {
      throw new IllegalStateException("the training run answered GET / with " + status);
    }
  }
}
