package com.benchsci.hostharness.standin;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * A STAND-IN for cfn-hup, AWS's program from aws-cfn-bootstrap, which comes only from Amazon's download location and
 * cannot be installed here. It does what AWS's cfn-hup reference and aws-cfn-bootstrap's source ({@code bin/cfn-hup},
 * {@code cfnbootstrap/update_hooks.py}; python-daemon for the daemon part) say, and nothing else:
 * <ul>
 *   <li>{@code -c/--config DIR} (default /etc/cfn): cfn-hup.conf and hooks.conf/hooks.d ({@link CfnHupConfig});
 *   <li>{@code --no-daemon}: checks every hook once and exits;
 *   <li>otherwise a daemon: forks into the background unless started by init (its parent is PID 1, as under systemd,
 *       where it stays in the foreground), takes /var/run/cfn-hup.pid (waiting up to 300 s for an existing one to go,
 *       then failing), sets its umask (default 022), checks every hook at once and then every {@code interval}
 *       minutes (default 15, at least 1) after the previous check ended, and on SIGTERM logs "Shutting down cfn-hup",
 *       removes its PID file and exits 0;
 *   <li>{@code -v/--verbose} or [main] verbose=true: DEBUG lines in /var/log/cfn-hup.log, its only output.
 * </ul>
 * Differences, on purpose: it asks the harness's DescribeStackResource stand-in, unsigned, at the address
 * {@link Endpoints} gives for the region (or [main] url); credentials (role, credential-file) are read but not used;
 * on.command hooks are refused. See docs/host-test.md.
 */
public final class CfnHupStandIn {

  static final String DEFAULT_CONFIG = "/etc/cfn";
  static final String PID_FILE = "/var/run/cfn-hup.pid";
  static final String LOG_FILE = "/var/log/cfn-hup.log";
  /** python-daemon's TimeoutPIDLockFile(..., 300) as cfn-hup creates it; it polls every tenth of that. */
  static final Duration PID_LOCK_TIMEOUT = Duration.ofSeconds(300);
  /** Set in the copy that a daemon started outside init forks into the background. */
  private static final String DETACHED = "CFN_HUP_STANDIN_DETACHED";

  private CfnHupStandIn() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    Path configDir = HostPaths.of(DEFAULT_CONFIG);
    boolean noDaemon = false;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-c", "--config" -> {
          if (i + 1 == args.length) {
            return usage("-c option requires an argument");
          }
          configDir = Path.of(args[++i]);
        }
        case "--no-daemon" -> noDaemon = true;
        case "-v", "--verbose" -> verbose = true;
        default -> {
          return usage("no such option: " + args[i]);
        }
      }
    }
    StandInLog log = new StandInLog(HostPaths.of(LOG_FILE), true);
    if (!Files.isDirectory(configDir)) {
      log.error("Error: Could not find configuration at %s", configDir);
      return 1;
    }
    CfnHupConfig config;
    try {
      config = CfnHupConfig.read(configDir, log);
      log = log.verbose(verbose || config.verbose());
    } catch (IllegalArgumentException e) {
      log.error("Error: %s", e.getMessage());
      return 1;
    }
    URI endpoint = config.main().containsKey("url") ? URI.create(config.main().get("url"))
        : Endpoints.read().cloudFormation(config.region());
    if (config.main().containsKey("role") || config.main().containsKey("credential-file")) {
      log.debug("credentials in cfn-hup.conf are not used: the stand-in endpoint checks no signature");
    }
    if (noDaemon) {
      // Once, with the caller's umask; interval and umask are the daemon's settings and are not read.
      new HookProcessor(config, endpoint, HookProcessor.INHERITED_UMASK, log).process();
      return 0;
    }
    int interval;
    int umask;
    try {
      interval = config.intervalMinutes();
      umask = config.umask();
    } catch (IllegalArgumentException e) {
      log.error("%s", e.getMessage());
      return 1;
    }
    if (!startedByInit() && System.getenv(DETACHED) == null) {
      return detach(args);
    }
    return daemon(new HookProcessor(config, endpoint, umask, log), interval, log);
  }

  /** Checks at once, then every {@code interval} minutes after each check, until SIGTERM. */
  private static int daemon(HookProcessor processor, int interval, StandInLog log) {
    Path pidFile = HostPaths.of(PID_FILE);
    try {
      acquire(pidFile);
    } catch (IOException e) {
      log.error("Unhandled exception: %s", e.getMessage());
      System.err.println("cfn-hup: " + e.getMessage());
      return 1;
    }
    CountDownLatch stop = new CountDownLatch(1);
    StandInLog finalLog = log;
    Signal.handle(new Signal("TERM"), signal -> {
      finalLog.info("Shutting down cfn-hup");
      stop.countDown();
    });
    long lastAlive = System.nanoTime();
    try {
      while (stop.getCount() > 0) {
        if (System.nanoTime() - lastAlive > Duration.ofMinutes(5).toNanos()) {
          lastAlive = System.nanoTime();
          log.info("cfn-hup processing is alive.");
        }
        try {
          processor.process();
        } catch (HookProcessor.FatalUpdateError e) {
          log.error("Fatal exception: %s", e.getMessage());
          break;
        } catch (RuntimeException e) {
          log.error("Unhandled exception: %s", e);
        }
        stop.await(interval, TimeUnit.MINUTES);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      release(pidFile);
    }
    return 0;
  }

  /**
   * python-daemon forks into the background unless the process was started by init (its parent is PID 1) or by a
   * superserver (its standard input is a socket): under systemd it is neither forked nor detached.
   */
  private static boolean startedByInit() {
    long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L);
    String stdin;
    try {
      stdin = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
    } catch (IOException e) {
      stdin = "";
    }
    return parent == 1 || stdin.startsWith("socket:");
  }

  /** The fork: the same program in a new session with no terminal, and this process exits 0 at once. */
  private static int detach(String[] args) {
    List<String> command = new ArrayList<>(List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java")
        .toString()));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), CfnHupStandIn.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("/").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put(DETACHED, "1");
    try {
      builder.start();
      return 0;
    } catch (IOException e) {
      System.err.println("cfn-hup: cannot fork into the background: " + e.getMessage());
      return 1;
    }
  }

  /** The PID file, created exclusively; an existing one is waited for up to 300 s (lockfile's PIDLockFile). */
  private static void acquire(Path pidFile) throws IOException {
    long end = System.nanoTime() + PID_LOCK_TIMEOUT.toNanos();
    while (true) {
      try {
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII,
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return;
      } catch (FileAlreadyExistsException e) {
        if (System.nanoTime() > end) {
          throw new IOException("Timeout waiting to acquire lock for " + pidFile, e);
        }
        try {
          Thread.sleep(PID_LOCK_TIMEOUT.toMillis() / 10);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for " + pidFile, interrupted);
        }
      }
    }
  }

  /** Removes the PID file if it is this process's. */
  private static void release(Path pidFile) {
    try {
      if (Files.readString(pidFile).strip().equals(Long.toString(ProcessHandle.current().pid()))) {
        Files.delete(pidFile);
      }
    } catch (IOException e) {
      // nothing to release
    }
  }

  private static int usage(String problem) {
    System.err.println("Usage: cfn-hup [-c DIR] [--no-daemon] [-v]\ncfn-hup: error: " + problem);
    return 2;
  }
}
