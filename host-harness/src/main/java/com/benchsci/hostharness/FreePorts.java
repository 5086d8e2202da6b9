package com.benchsci.hostharness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port for a server a test starts (the app, Pebble) that was free a moment ago, taken below the kernel's ephemeral
 * range ({@code net.ipv4.ip_local_port_range}, from 32768 by default). A port the kernel hands out for {@code bind(0)}
 * comes from that range, which every outgoing connection of a busy build also draws its local port from (hundreds a
 * second under load), so one of them could take it before the server binds it: an app then exits at once, its port
 * in use. Below the range only another test's server can take it, and the pick among thousands is random.
 */
public final class FreePorts {

  private static final int LOWEST = 20000;
  private static final int TRIES = 200;

  private FreePorts() {}

  /** A free port on {@code address}, an IP address. */
  public static int on(String address) {
    try {
      return on(InetAddress.getByName(address));
    } catch (IOException e) {
      throw new UncheckedIOException("not an address: " + address, e);
    }
  }

  /** A free port on {@code address} (all addresses: the wildcard). */
  public static int on(InetAddress address) {
    int end = ephemeralRangeStart();
    for (int i = 0; i < TRIES; i++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, end);
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(address, port), 1);
        return port;
      } catch (BindException taken) {
        // try another
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind a port on " + address, e);
      }
    }
    throw new IllegalStateException("no free port on " + address + " between " + LOWEST + " and " + end);
  }

  private static int ephemeralRangeStart() {
    try {
      // readAllLines: Files.readString of a /proc file (its size says 0) returns only its first character (JDK 17).
      int start = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
          .trim().split("\\s+")[0]);
      return Math.max(start, LOWEST + 1000);
    } catch (IOException | RuntimeException notLinux) {
      return 32768;
    }
  }
}
