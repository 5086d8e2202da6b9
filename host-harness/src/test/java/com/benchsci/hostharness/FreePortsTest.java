package com.benchsci.hostharness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void aPortIsBelowTheEphemeralRangeAndAServerCanBindIt() throws Exception {
    int ephemeralStart = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
        .trim().split("\\s+")[0]);
    InetAddress loopback = InetAddress.getLoopbackAddress();

    int port = FreePorts.on(loopback.getHostAddress());

    assertThat(port).isBetween(20000, ephemeralStart - 1);
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(loopback, port));
      assertThat(server.getLocalPort()).isEqualTo(port);
      // Taken now: the next pick is another port.
      assertThat(FreePorts.on(loopback)).isNotEqualTo(port);
    }
  }
}
