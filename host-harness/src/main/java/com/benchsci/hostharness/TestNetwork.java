package com.benchsci.hostharness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network for a booted host and the services it talks to: a network namespace of its own (held by a sleeping
 * process that dies with this JVM) joined to this machine by a veth pair on a /30 of its own. The host (a container
 * booted into this namespace) reaches this machine at {@link #machineAddress()}, where the test's services listen (the
 * emulator, the CloudFormation stand-in, an ACME server...); programs of this machine run inside the namespace with
 * {@link #inNetwork}. The namespace outlives reboots of the container, so the addresses stay.
 *
 * <p>Machine-wide state is named so that no two runs collide, also across work trees: the veth is named after this
 * JVM's PID, and the /30 is taken from 198.18.0.0/15 (RFC 2544's benchmarking range, routed nowhere) under a
 * machine-wide file lock, skipping every /30 an interface of this machine already has an address in. The veth goes
 * away with the namespace, which the kernel removes when its last process (holder and container) is gone.
 */
public final class TestNetwork implements AutoCloseable {

  private static final int BASE = (198 << 24) | (18 << 16);
  private static final int LINKS = 1 << 15; // /30s in a /15
  private static final Path LOCK = Path.of("/run/lock/hello-host-test-network.lock");
  private static final Pattern INET = Pattern.compile("inet (\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)/");
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final Duration STEP = Duration.ofSeconds(10);
  /** The host's end of the link, inside the namespace (nspawn's own name for a container's veth). */
  public static final String HOST_LINK = "host0";

  private final Process holder;
  private final String link;
  private final String machineAddress;
  private final String hostAddress;

  private TestNetwork(Process holder, String link, String machineAddress, String hostAddress) {
    this.holder = holder;
    this.link = link;
    this.machineAddress = machineAddress;
    this.hostAddress = hostAddress;
  }

  /** Creates the namespace and the link; fails naming the step that failed. */
  public static TestNetwork create() {
    Process holder;
    try {
      holder = new ProcessBuilder("setpriv", "--pdeathsig", "KILL", "unshare", "--net", "--", "sleep", "infinity")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test network's namespace holder (unshare)", e);
    }
    String link = "hh" + ProcessHandle.current().pid() + "n" + COUNT.incrementAndGet();
    TestNetwork network = null;
    try {
      String own = netns(ProcessHandle.current().pid());
      NspawnContainer.awaitTrue("the namespace holder to enter its own network namespace", STEP,
          () -> !holder.isAlive() || !netns(holder.pid()).equals(own) && !netns(holder.pid()).isEmpty());
      if (!holder.isAlive()) {
        throw new IllegalStateException("unshare --net exited with " + holder.exitValue()
            + ": cannot create a network namespace here");
      }
      String pid = Long.toString(holder.pid());
      step("ip", "link", "add", link, "type", "veth", "peer", "name", HOST_LINK, "netns", pid);
      network = withAddresses(holder, link);
      step("ip", "link", "set", link, "up");
      step("nsenter", "-t", pid, "-n", "ip", "link", "set", "lo", "up");
      step("nsenter", "-t", pid, "-n", "ip", "addr", "add", network.hostAddress + "/30", "dev", HOST_LINK);
      step("nsenter", "-t", pid, "-n", "ip", "link", "set", HOST_LINK, "up");
      return network;
    } catch (RuntimeException | Error e) {
      holder.destroyForcibly();
      Cmd.run(STEP, List.of("ip", "link", "del", link)); // gone already if the holder was: fine
      throw e;
    }
  }

  /**
   * Takes a free /30 under the machine-wide lock and gives this machine's end its address there (synchronized too: a
   * JVM may not take the file lock twice).
   */
  private static synchronized TestNetwork withAddresses(Process holder, String link) {
    try {
      Files.createDirectories(LOCK.getParent());
      try (FileChannel channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        Set<Integer> used = usedLinks();
        int first = (int) ((ProcessHandle.current().pid() * 4 + COUNT.get()) % LINKS);
        for (int i = 0; i < LINKS; i++) {
          int index = (first + i) % LINKS;
          if (!used.contains(index)) {
            String machine = address(BASE + index * 4 + 1);
            step("ip", "addr", "add", machine + "/30", "dev", link);
            return new TestNetwork(holder, link, machine, address(BASE + index * 4 + 2));
          }
        }
        throw new IllegalStateException("no free /30 left in 198.18.0.0/15 on this machine");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the test network lock " + LOCK, e);
    }
  }

  /** The /30 indices of 198.18.0.0/15 in which this machine's interfaces have an address. */
  private static Set<Integer> usedLinks() {
    Cmd.Result addresses = step("ip", "-4", "-o", "addr", "show");
    Set<Integer> used = new HashSet<>();
    Matcher m = INET.matcher(addresses.out());
    while (m.find()) {
      int address = (Integer.parseInt(m.group(1)) << 24) | (Integer.parseInt(m.group(2)) << 16)
          | (Integer.parseInt(m.group(3)) << 8) | Integer.parseInt(m.group(4));
      int offset = address - BASE;
      if (offset >= 0 && offset < LINKS * 4) {
        used.add(offset / 4);
      }
    }
    return used;
  }

  private static String address(int value) {
    return (value >>> 24) + "." + ((value >>> 16) & 255) + "." + ((value >>> 8) & 255) + "." + (value & 255);
  }

  private static String netns(long pid) {
    try {
      return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
    } catch (IOException e) {
      return "";
    }
  }

  private static Cmd.Result step(String... argv) {
    Cmd.Result result = Cmd.run(STEP, List.of(argv));
    if (!result.ok()) {
      throw new IllegalStateException("test network: " + result.describe());
    }
    return result;
  }

  /** The machine's end of the veth pair. */
  String link() {
    return link;
  }

  /** This machine's address on the link: services for the host listen here. */
  public String machineAddress() {
    return machineAddress;
  }

  /** The host's address on the link (inside the namespace). */
  public String hostAddress() {
    return hostAddress;
  }

  /** The namespace, for {@code nsenter --net=}. */
  public Path namespace() {
    return Path.of("/proc/" + holder.pid() + "/ns/net");
  }

  /** A command line that runs a program of this machine inside the network namespace. */
  public List<String> inNetwork(String... argv) {
    List<String> command = new ArrayList<>(List.of("nsenter", "--net=" + namespace(), "--"));
    command.addAll(List.of(argv));
    return command;
  }

  /** Ends the holder; the namespace and the link go with the last process in it (close the container first). */
  @Override
  public void close() {
    holder.destroyForcibly();
    try {
      holder.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Cmd.run(STEP, List.of("ip", "link", "del", link)); // already gone with the namespace: fine
  }
}
