package com.benchsci.app;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * System properties that spare the start work this app has no use for. Netty, Vert.x and the JDK read them once, in
 * static initialisers, so {@link Main} sets them before anything else; a {@code -D} flag on the command line still
 * wins. Each was found by profiling the host's start (JDK 25 with the AOT cache, bench/host-rollout.sh) and each saved
 * tens of milliseconds there.
 */
final class LeanStart {
  private LeanStart() {}

  static void apply() {
    // Netty's buffer allocator reports chunk and buffer events to JDK Flight Recorder: the first allocation, which is
    // the first request, then initialises JFR's whole metadata repository on the event loop serving it (50-70 ms).
    setDefault("io.netty.jfr.enabled", "false");
    // Netty labels channel ids with a machine id taken from a network interface's hardware address: it scans the
    // interfaces and, where none has one (a container), logs a warning through java.util.logging. It falls back to
    // random bytes, which is what this is; the id only names channels in logs.
    setDefault("io.netty.machineId", machineId());
    // Vert.x keeps the PEM key in an in-memory PKCS#12 key store, which by default wraps it with 10,000 rounds of
    // PBKDF2, three times at start (about 100 ms of CPU, beside the event loops). The store never leaves the process.
    setDefault("keystore.pkcs12.keyPbeIterationCount", "1");
    // No Netty DNS resolver (the app resolves no names) and no WebSockets (each HTTP/1 connection would carry their
    // upgrade handling).
    setDefault("vertx.disableDnsResolver", "true");
    setDefault("vertx.disableWebsockets", "true");
    // Vert.x and Netty log through java.util.logging, as they would with nothing else on the class path. Both prefer
    // SLF4J when they find it, and the jar carries SLF4J for the ACME client (com.benchsci.acme): looking for its
    // provider would cost the start and load classes this JVM never uses.
    setDefault("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.JULLogDelegateFactory");
    Internals.nettyLogsThroughJul();
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Eight random bytes in Netty's EUI-64 notation, e.g. {@code 3a:07:…}. */
  private static String machineId() {
    byte[] id = new byte[8];
    ThreadLocalRandom.current().nextBytes(id);
    return HexFormat.ofDelimiter(":").formatHex(id);
  }
}
