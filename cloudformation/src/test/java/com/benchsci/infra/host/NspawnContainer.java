package com.benchsci.infra.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Debian system booted with {@code systemd-nspawn -b} on a writable overlay of a cached root file system, so the cache
 * stays pristine and what is written survives a reboot of the container. It has its own network namespace
 * ({@code --private-network}: only loopback), so its ports 80/443 never meet the machine's. Commands run inside
 * through {@code nsenter} into the namespaces of its PID 1 (no machined needed: {@code --register=no --keep-unit}).
 *
 * <p>nspawn runs inside {@code unshare --mount --pid --kill-child} started with a parent-death signal: the overlay
 * mount lives in that private mount namespace, and if this JVM dies the kernel kills the whole PID namespace, so no
 * container or mount outlives the test even when cleanup code never runs.
 */
final class NspawnContainer implements AutoCloseable {

  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);
  private static final String DIR_PREFIX = "hello-host-boot-";
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Path lower;
  private final Path dir;
  private final String name;
  /** The container's memory limit, or null for none. */
  private final MemoryCgroup memory;
  /** setpriv, which becomes unshare, whose child becomes systemd-nspawn. */
  private Process launcher;
  private long leader;

  private NspawnContainer(Path lower, Path dir, String name, MemoryCgroup memory) {
    this.lower = lower;
    this.dir = dir;
    this.name = name;
    this.memory = memory;
  }

  /** Boots a new container on an overlay of {@code rootfs}; its writable layer lives in a fresh temp directory. */
  static NspawnContainer boot(Path rootfs, String name) {
    return boot(rootfs, name, 0);
  }

  /** Like {@link #boot(Path, String)}, with all its processes limited to {@code memoryBytes} (0: no limit). */
  static NspawnContainer boot(Path rootfs, String name, long memoryBytes) {
    deleteLeftovers();
    Path dir;
    try {
      dir = Files.createTempDirectory(DIR_PREFIX + ProcessHandle.current().pid() + "-");
      for (String sub : List.of("upper", "work", "root")) {
        Files.createDirectory(dir.resolve(sub));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the container's overlay directories", e);
    }
    NspawnContainer container = new NspawnContainer(rootfs, dir, name,
        memoryBytes > 0 ? MemoryCgroup.create(name, memoryBytes) : null);
    boolean booted = false;
    try {
      container.start();
      booted = true;
      return container;
    } finally {
      if (!booted) {
        container.close(); // also when the boot timed out (an AssertionError)
      }
    }
  }

  /**
   * Deletes the overlay directories of test JVMs that were killed: their containers died with them (see above), but
   * nobody deleted their directories. The directory name holds the JVM's PID.
   */
  private static void deleteLeftovers() {
    try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      entries.filter(p -> p.getFileName().toString().matches(Pattern.quote(DIR_PREFIX) + "\\d+-.*"))
          .filter(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString().split("-")[3])).isEmpty())
          .forEach(DebianRootFs::deleteTree);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the temp directory", e);
    }
  }

  /** Starts nspawn and waits until systemd inside reports the system up (running, or degraded with a failed unit). */
  private void start() {
    String mount = "mount -t overlay overlay -o lowerdir=" + lower + ",upperdir=" + dir.resolve("upper")
        + ",workdir=" + dir.resolve("work") + " " + dir.resolve("root");
    List<String> nspawn = List.of("setpriv", "--pdeathsig", "KILL",
        "unshare", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--",
        "sh", "-c", mount + " && exec systemd-nspawn --quiet -D " + dir.resolve("root")
            + " -b --register=no --keep-unit --private-network --console=pipe --machine=" + name);
    List<String> command = memory == null ? nspawn : memory.wrap(nspawn);
    try {
      launcher = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nspawn.log").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start systemd-nspawn", e);
    }
    leader = 0;
    awaitTrue("systemd to start as the container's PID 1", BOOT_TIMEOUT, () -> (leader = findLeader()) != 0);
    Cmd.Result[] state = {null};
    try {
      awaitTrue("systemd in the container to finish booting", BOOT_TIMEOUT, () -> {
        state[0] = exec(Duration.ofSeconds(10), "systemctl", "is-system-running");
        return List.of("running", "degraded").contains(state[0].out().strip());
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last state: " + (state[0] == null ? "none" : state[0].describe()) + "\n"
          + exec(Duration.ofSeconds(10), "systemctl", "list-jobs", "--no-pager").describe() + "\n" + log(), e);
    }
  }

  /**
   * The container's PID 1 as this machine sees it: the descendant of our nspawn that is PID 1 of its own PID namespace
   * and already runs systemd (nspawn's own child is PID 1 too, but only until it executes systemd).
   */
  private long findLeader() {
    if (!launcher.isAlive()) {
      throw new IllegalStateException("systemd-nspawn exited with " + launcher.exitValue() + " before the container"
          + " booted:\n" + log());
    }
    Optional<ProcessHandle> init = launcher.descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("/systemd")).orElse(false))
        .filter(p -> nsPids(p.pid()).endsWith(" 1"))
        .findFirst();
    return init.map(ProcessHandle::pid).orElse(0L);
  }

  private static String nsPids(long pid) {
    try (Stream<String> lines = Files.lines(Path.of("/proc/" + pid + "/status"))) {
      return lines.filter(l -> l.startsWith("NSpid:")).findFirst().orElse("").replaceAll("\\s+", " ").strip();
    } catch (IOException | UncheckedIOException e) {
      return ""; // the process just went away
    }
  }

  /** True when {@code pid} has exited: no such process, or a zombie nobody reaped yet. */
  static boolean gone(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true;
    }
  }

  /** The container's PID 1 as this machine sees it. */
  long leader() {
    return leader;
  }

  /** Runs a command inside the container (all its namespaces, its root file system) as root with a clean environment. */
  Cmd.Result exec(Duration timeout, String... argv) {
    return Cmd.run(timeout, nsenter(argv));
  }

  /** Like {@link #exec}, with {@code stdin} fed to the command. */
  Cmd.Result execWithInput(Duration timeout, Path stdin, String... argv) {
    return Cmd.run(timeout, stdin, nsenter(argv));
  }

  /** Runs a shell script inside the container. */
  Cmd.Result sh(Duration timeout, String script) {
    return exec(timeout, "/bin/sh", "-c", script);
  }

  /**
   * A command line that runs a program of this machine (wrk, chromium) inside the container's network namespace only:
   * it reaches the host's ports on 127.0.0.1 as a client on the instance would, with this machine's file system.
   * setsid executes the program in place, so the process started from this line is the program itself.
   */
  List<String> inNetwork(String... argv) {
    List<String> command = new ArrayList<>(List.of("setsid", "nsenter", "-t", Long.toString(leader), "-n", "--"));
    command.addAll(List.of(argv));
    return command;
  }

  private List<String> nsenter(String... argv) {
    // setsid: a session of its own, so no signal sent inside (kill -9 0, say) can reach this build's process group.
    List<String> command = new ArrayList<>(List.of("setsid", "nsenter", "-t", Long.toString(leader), "-a", "-r", "-w", "--",
        "env", "-i", "PATH=" + PATH, "LANG=C.UTF-8", "HOME=/root"));
    command.addAll(List.of(argv));
    return command;
  }

  /**
   * Reboots the container the way a host reboots: {@code systemctl reboot} inside stops every unit, PID 1 exits with
   * nspawn's reboot code (133), and we boot the same overlay again, as the systemd-nspawn@ unit would.
   */
  void reboot() {
    exec(Duration.ofSeconds(10), "systemctl", "reboot");
    try {
      if (!launcher.waitFor(BOOT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("the container did not go down within " + BOOT_TIMEOUT.toSeconds()
            + "s of systemctl reboot:\n" + log());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the container rebooted", e);
    }
    if (launcher.exitValue() != 133) {
      throw new IllegalStateException("systemd-nspawn exited with " + launcher.exitValue()
          + " after systemctl reboot, not with its reboot code 133:\n" + log());
    }
    start();
  }

  /** Polls {@code condition} until it holds or {@code timeout} passes; then fails naming {@code what}. */
  static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what);
      }
      try {
        Thread.sleep(100); // a poll interval, not a synchronisation: the condition decides
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  /** What nspawn printed (its errors), for failure messages. */
  String log() {
    try {
      return Files.readString(dir.resolve("nspawn.log"));
    } catch (IOException e) {
      return "(no nspawn log: " + e.getMessage() + ")";
    }
  }

  /** Kills the container (the whole PID namespace goes with nspawn) and deletes its overlay. */
  @Override
  public void close() {
    if (launcher != null) {
      // Kill nspawn, the init of unshare's PID namespace (the kernel then kills everything in it), so that unshare
      // reaps it and exits; killing unshare first would leave nspawn a zombie for the machine's PID 1 to reap.
      launcher.children().forEach(ProcessHandle::destroyForcibly);
      try {
        if (!launcher.waitFor(30, TimeUnit.SECONDS)) {
          launcher.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (leader != 0) {
        awaitTrue("the container's PID 1 (" + leader + ") to go away", Duration.ofSeconds(30),
            () -> gone(leader));
      }
    }
    DebianRootFs.deleteTree(dir);
    if (memory != null) {
      memory.delete();
    }
  }

  /** The most memory the container used so far, in bytes, when it was booted with a limit. */
  long memoryPeakBytes() {
    if (memory == null) {
      throw new IllegalStateException("booted without a memory limit: no peak recorded");
    }
    return memory.peakBytes();
  }
}
