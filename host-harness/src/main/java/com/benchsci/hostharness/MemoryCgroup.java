package com.benchsci.hostharness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A memory limit for a whole booted container, as an instance's RAM is one: a child of this JVM's own memory cgroup
 * (cgroup v1's memory controller, or v2 where it is enabled) with a hard limit, which the container's launcher joins
 * before it starts anything. nspawn's own {@code --property=MemoryMax=} needs a scope unit of the machine's systemd,
 * which {@code --keep-unit --register=no} (and machines without systemd as PID 1) do not have.
 */
record MemoryCgroup(Path dir, Path limitFile, Path peakFile) {

  /** Creates the cgroup with {@code bytes} as its limit. */
  static MemoryCgroup create(String name, long bytes) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/self/cgroup"));
      MemoryCgroup cgroup = lines.stream().filter(l -> l.split(":", 3)[1].equals("memory")).findFirst()
          .map(l -> dir(Path.of("/sys/fs/cgroup/memory"), l, name, "memory.limit_in_bytes", "memory.max_usage_in_bytes"))
          .orElseGet(() -> dir(Path.of("/sys/fs/cgroup"), lines.get(0), name, "memory.max", "memory.peak"));
      Files.createDirectories(cgroup.dir());
      Files.writeString(cgroup.limitFile(), Long.toString(bytes));
      return cgroup;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a memory cgroup (cgroup memory controller needed)", e);
    }
  }

  private static MemoryCgroup dir(Path root, String line, String name, String limit, String peak) {
    Path dir = root.resolve(line.split(":", 3)[2].substring(1)).resolve(name);
    return new MemoryCgroup(dir, dir.resolve(limit), dir.resolve(peak));
  }

  /** A shell prefix that moves the command into this cgroup, then executes it (its children stay in it). */
  List<String> wrap(List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("sh", "-c",
        "echo $$ > " + dir.resolve("cgroup.procs") + " && exec \"$@\"", "memory-cgroup"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** The most memory the container has used so far, in bytes. */
  long peakBytes() {
    try {
      return Long.parseLong(Files.readString(peakFile).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes the cgroup once every process in it is gone. */
  void delete() {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      System.out.println("[host-boot] memory cgroup " + dir + " left behind: " + e.getMessage());
    }
  }
}
