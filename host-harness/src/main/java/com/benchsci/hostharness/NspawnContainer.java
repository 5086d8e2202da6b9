package com.benchsci.hostharness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Debian system booted with {@code systemd-nspawn -b} on a writable overlay of a cached root file system, so the cache
 * stays pristine and what is written survives a reboot of the container. It has a network of its own: loopback only
 * ({@code --private-network}), or a {@link TestNetwork} that links it to this machine's services. Commands run inside
 * through {@code nsenter} into the namespaces of its PID 1 (no machined needed: {@code --register=no --keep-unit}).
 * Files a test needs inside (the stand-ins, configuration) are written into the overlay before it boots ({@link Spec}).
 *
 * <p>nspawn runs inside {@code unshare --mount --pid --kill-child} started with a parent-death signal: the overlay
 * mount lives in that private mount namespace, and if this JVM dies the kernel kills the whole PID namespace, so no
 * container or mount outlives the test even when cleanup code never runs.
 */
public final class NspawnContainer implements Shell, AutoCloseable {

  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);
  private static final String DIR_PREFIX = "hello-host-boot-";
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /**
   * How to boot a container: its machine name (unique on this machine: it names the memory cgroup), a memory limit
   * for all its processes (0: none), the network it joins (null: loopback only), and files placed in it before boot.
   */
  public record Spec(String name, long memoryBytes, TestNetwork network, Map<String, FileSource> files) {

    public Spec {
      files = Map.copyOf(files);
    }

    public static Spec named(String name) {
      return new Spec(name, 0, null, Map.of());
    }

    public Spec memoryLimit(long bytes) {
      return new Spec(name, bytes, network, files);
    }

    public Spec network(TestNetwork joined) {
      return new Spec(name, memoryBytes, joined, files);
    }

    /** {@code source} at {@code path} inside the container. */
    public Spec file(String path, FileSource source) {
      Map<String, FileSource> more = new LinkedHashMap<>(files);
      more.put(path, source);
      return new Spec(name, memoryBytes, network, more);
    }
  }

  /**
   * What a file placed in the container holds: text with a mode ({@code rwxr-xr-x}), or a copy of a file or a
   * directory tree of this machine, modes kept.
   */
  public record FileSource(String text, Path copyOf, String mode) {

    public static FileSource text(String text, String mode) {
      return new FileSource(text, null, mode);
    }

    public static FileSource copyOf(Path source) {
      return new FileSource(null, source, null);
    }
  }

  private final Path lower;
  private final Path dir;
  private final Spec spec;
  /** The container's memory limit, or null for none. */
  private final MemoryCgroup memory;
  /** setpriv, which becomes unshare, whose child becomes systemd-nspawn. */
  private Process launcher;
  private long leader;

  private NspawnContainer(Path lower, Path dir, Spec spec, MemoryCgroup memory) {
    this.lower = lower;
    this.dir = dir;
    this.spec = spec;
    this.memory = memory;
  }

  /** Boots a new container on an overlay of {@code rootfs}; its writable layer lives in a fresh temp directory. */
  public static NspawnContainer boot(Path rootfs, Spec spec) {
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
    NspawnContainer container = new NspawnContainer(rootfs, dir, spec,
        spec.memoryBytes() > 0 ? MemoryCgroup.create(spec.name(), spec.memoryBytes()) : null);
    boolean booted = false;
    try {
      container.place(spec.files());
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

  /** Writes {@code files} into the overlay's upper layer, where the booted system sees them at their paths. */
  private void place(Map<String, FileSource> files) {
    Path upper = dir.resolve("upper");
    files.forEach((path, source) -> {
      Path target = upper.resolve(path.replaceFirst("^/+", ""));
      try {
        Files.createDirectories(target.getParent());
        if (source.copyOf() != null) {
          Cmd.Result copy = Cmd.run(Duration.ofMinutes(1), List.of("cp", "-a", source.copyOf().toString(),
              target.toString()));
          if (!copy.ok()) {
            throw new IllegalStateException("cannot place " + source.copyOf() + " at " + path + ": " + copy.describe());
          }
        } else {
          Files.writeString(target, source.text(), StandardCharsets.UTF_8);
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(source.mode()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot place " + path + " in the container", e);
      }
    });
  }

  /** Starts nspawn and waits until systemd inside reports the system up (running, or degraded with a failed unit). */
  private void start() {
    String mount = "mount -t overlay overlay -o lowerdir=" + lower + ",upperdir=" + dir.resolve("upper")
        + ",workdir=" + dir.resolve("work") + " " + dir.resolve("root");
    List<String> nspawn = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL"));
    String network = " --private-network";
    if (spec.network() != null) {
      // Without a network option nspawn keeps the namespace it runs in: the test network's, which belongs to this
      // container alone. nspawn then leaves /proc/sys read-only as for a shared network, so sysctl (stack.yaml's
      // net.ipv4.tcp_migrate_req) would fail silently; SYSTEMD_NSPAWN_API_VFS_WRITABLE=network (systemd's
      // ENVIRONMENT.md) leaves /proc/sys/net writable, as on the instance and under --private-network.
      nspawn.addAll(List.of("nsenter", "--net=" + spec.network().namespace(), "--", "env",
          "SYSTEMD_NSPAWN_API_VFS_WRITABLE=network"));
      network = "";
    }
    nspawn.addAll(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--",
        "sh", "-c", mount + " && exec systemd-nspawn --quiet -D " + dir.resolve("root") + " -b --register=no"
            + " --keep-unit" + network + " --console=pipe --machine=" + spec.name()));
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
  public static boolean gone(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true;
    }
  }

  /** The overlay's directory (upper and work layers, mount point), deleted by {@link #close}. */
  Path overlay() {
    return dir;
  }

  /** The container's PID 1 as this machine sees it. */
  public long leader() {
    return leader;
  }

  /** Runs a command inside the container (all its namespaces, its root file system) as root with a clean environment. */
  @Override
  public Cmd.Result exec(Duration timeout, String... argv) {
    return Cmd.run(timeout, nsenter(argv));
  }

  @Override
  public Cmd.Result execWithInput(Duration timeout, Path stdin, String... argv) {
    return Cmd.run(timeout, stdin, nsenter(argv));
  }

  /**
   * A command line that runs a program of this machine (wrk, chromium) inside the container's network namespace only:
   * it reaches the host's ports on 127.0.0.1 as a client on the instance would, with this machine's file system.
   * setsid executes the program in place, so the process started from this line is the program itself.
   */
  public List<String> inNetwork(String... argv) {
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
  public void reboot() {
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

  /**
   * Polls {@code condition} until it holds or {@code timeout} passes; then fails naming {@code what}. A poll is
   * usually a command run in the container (a process started from this JVM, then nsenter, then the command: a few
   * milliseconds of CPU each), and the host tests wait this way for minutes in all (cfn-hup's interval, rollouts):
   * every 250 ms, not faster, on a build bound by CPU; nothing they wait for needs a finer grain.
   */
  public static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what);
      }
      try {
        Thread.sleep(250); // a poll interval, not a synchronisation: the condition decides
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  /** What nspawn printed (its errors), for failure messages. */
  public String log() {
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
  public long memoryPeakBytes() {
    if (memory == null) {
      throw new IllegalStateException("booted without a memory limit: no peak recorded");
    }
    return memory.peakBytes();
  }
}
