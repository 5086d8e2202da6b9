package com.benchsci.hostharness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Debian trixie root file system that can boot under systemd-nspawn, built once with debootstrap and cached
 * outside the work tree ({@code <tool cache>/rootfs/trixie-<stamp>}). The stamp is a hash of the recipe below, so
 * changing the package list builds a new one. It is built into a partial directory and renamed when complete, so a
 * cached root file system is always a whole one; callers must never write into it (they boot an overlay of it).
 */
public final class DebianRootFs {

  static final String SUITE = "trixie";
  static final String MIRROR = "http://deb.debian.org/debian";
  /**
   * minbase plus what a booted host needs. The JRE stands in for the template's Amazon Corretto 25 package: trixie
   * is the first Debian with OpenJDK 25 (bookworm has 17), so the unit's flags, the AOT cache and the rollout are
   * proven on production's major version (see CfnInitApplier's package map).
   */
  static final List<String> PACKAGES = List.of(
      "systemd", "systemd-sysv", "dbus", "curl", "openssl", "ca-certificates", "openjdk-25-jre-headless");
  /**
   * Host tools this needs, as Debian packages, installed with apt-get when missing. The keyring lets debootstrap verify
   * Debian's archive on any host (Ubuntu, as on CircleCI's machine executor, does not have it by default). wrk loads
   * the host during rollouts and Chromium renders its page; libnss3-tools' certutil gives Chromium the trust store of
   * a test CA's root ({@link Chromium}). iproute2 links a {@link TestNetwork} to this machine.
   */
  static final List<String> HOST_PACKAGES = List.of("debootstrap", "systemd-container", "debian-archive-keyring",
      "wrk", "chromium", "libnss3-tools", "iproute2");
  private static final String KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";

  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);

  private DebianRootFs() {}

  /**
   * Why this machine cannot boot a container, or null when it can (after installing missing host tools). One caller
   * at a time: host test classes may run side by side.
   */
  public static synchronized String whyUnsupported() {
    if (!"0".equals(Cmd.run(Duration.ofSeconds(10), List.of("id", "-u")).out().strip())) {
      return "not running as root (systemd-nspawn and debootstrap need root)";
    }
    if (missingHostTools()) {
      System.out.println("[host-boot] installing " + HOST_PACKAGES + " with apt-get");
      try {
        Cmd.runShowingProgress("[apt] ", BUILD_TIMEOUT, List.of("apt-get", "update", "-q"));
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends",
            "-o", "Dpkg::Use-Pty=0")); // no percentage lines from dpkg
        install.addAll(HOST_PACKAGES);
        Cmd.runShowingProgress("[apt] ", BUILD_TIMEOUT, install);
      } catch (RuntimeException e) {
        return "cannot install " + HOST_PACKAGES + ": " + e.getMessage();
      }
      if (missingHostTools()) {
        return "systemd-nspawn, debootstrap, wrk, chromium, certutil, ip or " + KEYRING
            + " still missing after apt-get install " + HOST_PACKAGES;
      }
    }
    return null;
  }

  private static boolean missingHostTools() {
    return !Cmd.run(Duration.ofSeconds(10), List.of("sh", "-c",
        "command -v systemd-nspawn && command -v debootstrap && command -v wrk && command -v chromium"
            + " && command -v certutil && command -v ip"
            + " && test -s "
            + KEYRING)).ok();
  }

  /**
   * The cached root file system, built first when there is none for the current recipe. Synchronized as well as
   * file-locked: the file lock keeps other processes out, and a JVM may not take it twice.
   */
  public static synchronized Path cached() {
    Path dir = HarnessTools.cacheRoot().resolve("rootfs");
    Path rootfs = dir.resolve(SUITE + "-" + stamp());
    if (Files.isDirectory(rootfs)) {
      return rootfs;
    }
    try {
      Files.createDirectories(dir);
      try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        // Another build may have finished it while we waited for the lock.
        if (!Files.isDirectory(rootfs)) {
          build(dir, rootfs);
        }
      }
      return rootfs;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the root file system in " + dir, e);
    }
  }

  private static void build(Path dir, Path rootfs) throws IOException {
    // Under the lock nobody else is building: partial directories are leftovers of an interrupted build.
    try (Stream<Path> leftovers = Files.list(dir)) {
      for (Path leftover : leftovers.filter(p -> p.getFileName().toString().contains(".partial")).toList()) {
        deleteTree(leftover);
      }
    }
    Path partial = dir.resolve(rootfs.getFileName() + ".partial");
    long started = System.nanoTime();
    System.out.println("[host-boot] building the Debian " + SUITE + " root file system in " + rootfs
        + " with debootstrap (once; takes a few minutes)");
    try {
      Cmd.runShowingProgress("[debootstrap] ", BUILD_TIMEOUT, List.of("debootstrap", "--variant=minbase", "--keyring=" + KEYRING,
          "--include=" + String.join(",", PACKAGES), SUITE, partial.toString(), MIRROR));
      // The downloaded .deb files are only needed while installing.
      Cmd.runShowingProgress("[rootfs] ", Duration.ofMinutes(1), List.of("chroot", partial.toString(), "apt-get", "clean"));
      Files.writeString(partial.resolve("etc/hello-host-rootfs"), recipe(), StandardCharsets.UTF_8);
      Files.move(partial, rootfs, StandardCopyOption.ATOMIC_MOVE);
    } catch (RuntimeException | IOException e) {
      deleteTree(partial);
      throw e;
    }
    System.out.printf("[host-boot] root file system built in %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
  }

  private static String recipe() {
    return "debootstrap --variant=minbase " + SUITE + " " + MIRROR + "\npackages " + String.join(",", PACKAGES)
        + "\napt-get clean\n";
  }

  private static String stamp() {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(recipe().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes a directory tree with rm, which (unlike Files.walk) does not follow the root file system's symlinks. */
  public static void deleteTree(Path path) {
    Cmd.Result rm = Cmd.run(Duration.ofMinutes(2), List.of("rm", "-rf", "--one-file-system", path.toString()));
    if (!rm.ok()) {
      throw new IllegalStateException("cannot delete " + path + ": " + rm.describe());
    }
  }
}
