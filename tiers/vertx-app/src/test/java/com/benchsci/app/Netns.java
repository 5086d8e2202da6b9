package com.benchsci.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of the test's own (unshare, as an unprivileged user too), set up as the host sets its kernel:
 * loopback up and {@code net.ipv4.tcp_migrate_req=1}, so connections queued on a closing listener move to another
 * listener on the same port. The machine's own settings are left alone. A shell holds the namespace open until the
 * test closes its stdin (or the test JVM dies); {@link #command} prefixes a command to run inside it.
 */
final class Netns implements AutoCloseable {
  private final Process holder;

  private Netns(Process holder) {
    this.holder = holder;
  }

  /** The namespace, or why this machine cannot make one (no user namespaces for us, no iproute2). */
  static Netns create() throws IOException, InterruptedException {
    Process holder = new ProcessBuilder("unshare", "--user", "--map-root-user", "--net", "sh", "-c",
        "ip link set lo up && echo 1 > /proc/sys/net/ipv4/tcp_migrate_req && echo ready && exec cat >/dev/null")
        .redirectErrorStream(true)
        .start();
    ProcessLines output = new ProcessLines(holder.getInputStream());
    String first = output.next();
    if (!"ready".equals(first)) {
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("cannot make a network namespace with tcp_migrate_req=1: " + first);
    }
    return new Netns(holder);
  }

  /** {@code command} run inside the namespace, as the same user. */
  List<String> command(List<String> command) {
    List<String> inside = new ArrayList<>(List.of("nsenter", "--target", String.valueOf(holder.pid()),
        "--user", "--net", "--preserve-credentials", "--"));
    inside.addAll(command);
    return inside;
  }

  @Override
  public void close() throws Exception {
    holder.getOutputStream().close();
    holder.waitFor(10, TimeUnit.SECONDS);
  }
}
