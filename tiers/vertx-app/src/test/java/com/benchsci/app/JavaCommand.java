package com.benchsci.app;

import com.benchsci.hostharness.FreePorts;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The command line that runs a class of this module in a JVM of its own, with the host's small-heap flags, and the
 * process around it.
 */
final class JavaCommand {
  private JavaCommand() {}

  static List<String> of(Class<?> main, String... args) {
    return of(List.of(), main, args);
  }

  /** The same, with {@code jvmFlags} added to the host's. */
  static List<String> of(List<String> jvmFlags, Class<?> main, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m"));
    command.addAll(jvmFlags);
    command.addAll(List.of("-cp", appClassPath(), main.getName()));
    command.addAll(List.of(args));
    return command;
  }

  /**
   * This module's classes, test classes and runtime dependencies, as the build passes them (app.classpath): what the
   * jar carries, without the test-only tools on the test JVM's own class path.
   */
  private static String appClassPath() {
    String classPath = System.getProperty("app.classpath");
    if (classPath == null || classPath.contains("${")) {
      throw new IllegalStateException("app.classpath is not set: run the tests through Maven (tiers/vertx-app/pom.xml)");
    }
    return classPath;
  }

  /** The app's and the ACME client's variables, so a test's own settings are the only ones they see. */
  private static final List<String> APP_VARIABLES = List.of("HTTP_PORT", "HTTPS_PORT", "TLS_CERT_FILE",
      "TLS_KEY_FILE", "MAX_CONNECTIONS", "REQUEST_TIMEOUT_SECONDS", "DRAIN_SECONDS", "NOTIFY_SOCKET",
      "ACME_CHALLENGE_DIR", "ACME_DIRECTORY", "ACME_EMAIL", "ACME_STATE_DIR", "ACME_IP",
      "AWS_EC2_METADATA_SERVICE_ENDPOINT");

  /** A process for {@code command} whose app variables are exactly {@code env}; the caller sets redirects and starts. */
  static ProcessBuilder process(List<String> command, Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeAll(APP_VARIABLES);
    builder.environment().putAll(env);
    return builder;
  }

  /** A port free a moment ago, for an app process to listen on ({@link FreePorts}: below the ephemeral range). */
  static int freePort() {
    return FreePorts.on(new InetSocketAddress(0).getAddress());
  }
}
