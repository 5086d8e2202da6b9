package com.benchsci.acme;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files replaced whole: a reader (the serving app, the CA fetching a challenge answer) sees the old content or the new,
 * never a part, and a crash leaves the old file. The new content goes to a temporary file beside the target, with the
 * target's mode set before a byte is written, is synced to disk and renamed over the target.
 */
final class AtomicFile {
  /** The account key and the client's state: its own user only. */
  static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
  /** The TLS key and challenge answers: also the app's group (hello), which serves them. */
  static final Set<PosixFilePermission> GROUP_READABLE = PosixFilePermissions.fromString("rw-r-----");
  /** The certificate chain, public anyway. */
  static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

  private AtomicFile() {}

  static void write(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      // chmod, not the mode at creation: the process's umask (0077 in the unit) would narrow that one.
      Files.setPosixFilePermissions(temp, mode);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true); // the rename itself survives a power cut
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
