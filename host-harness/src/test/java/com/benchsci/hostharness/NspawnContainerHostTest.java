package com.benchsci.hostharness;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container on a test network, as the host tests boot one: it boots under a real systemd, has the files placed in
 * it, may set its network's sysctls, reaches a server of this machine at the network's machine address, and leaves
 * nothing behind when closed (no PID 1, no overlay, no veth). Needs root and systemd-nspawn; aborts loudly elsewhere.
 */
@Tag("host")
class NspawnContainerHostTest {

  private static final Duration STEP = Duration.ofSeconds(30);

  @Test
  void bootsWithItsFilesReachesThisMachineOnItsNetworkAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
    BootedHost.requireContainers("NspawnContainerHostTest");
    Path tree = Files.createDirectories(dir.resolve("tree/sub"));
    Files.writeString(tree.resolve("copied.txt"), "a copied tree");
    HttpServer server;
    NspawnContainer host;
    long leader;
    Path overlay;
    String link;
    try (TestNetwork network = TestNetwork.create()) {
      link = network.link();
      assertThat(network.machineAddress()).matches("198\\.1[89]\\.\\d+\\.\\d+");
      server = HttpServer.create(new InetSocketAddress(network.machineAddress(), 0), 4);
      server.createContext("/", exchange -> {
        byte[] body = "from the machine".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      host = NspawnContainer.boot(DebianRootFs.cached(), NspawnContainer.Spec
          .named("hello-host-harness-" + ProcessHandle.current().pid()).network(network)
          .file("/etc/placed.conf", NspawnContainer.FileSource.text("placed\n", "rw-r-----"))
          .file("/opt/tree", NspawnContainer.FileSource.copyOf(dir.resolve("tree"))));
      try {
        leader = host.leader();
        overlay = host.overlay();
        assertThat(host.exec(STEP, "systemctl", "is-system-running").out().strip()).isIn("running", "degraded");
        assertThat(host.exec(STEP, "stat", "-c", "%a %U", "/etc/placed.conf").out().strip()).isEqualTo("640 root");
        assertThat(host.exec(STEP, "cat", "/etc/placed.conf", "/opt/tree/sub/copied.txt").out())
            .isEqualTo("placed\na copied tree");
        // Its network is its own: the net sysctls the instance sets (hello-rollout's accept-queue hand-over) work.
        Cmd.Result sysctl = host.sh(STEP, "echo 1 > /proc/sys/net/ipv4/tcp_migrate_req"
            + " && cat /proc/sys/net/ipv4/tcp_migrate_req");
        assertThat(sysctl.out().strip()).as(sysctl.describe()).isEqualTo("1");
        Cmd.Result get = host.exec(STEP, "curl", "--silent", "--show-error", "--max-time", "5",
            "http://" + network.machineAddress() + ":" + server.getAddress().getPort() + "/");
        assertThat(get.out()).as(get.describe()).isEqualTo("from the machine");
      } finally {
        host.close();
        server.stop(0);
      }
    }
    assertThat(NspawnContainer.gone(leader)).as("the container's PID 1 after close").isTrue();
    assertThat(overlay).as("the overlay after close").doesNotExist();
    assertThat(Cmd.run(STEP, List.of("ip", "link", "show", link)).ok()).as("the veth %s after close", link).isFalse();
  }
}
