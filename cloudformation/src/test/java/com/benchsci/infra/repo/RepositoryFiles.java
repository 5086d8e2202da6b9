package com.benchsci.infra.repo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The files of the repository that tests read (scripts, docs, sources), in path order. Build output, version control
 * and installed packages are never entered: the other test classes of the build write and delete folders in
 * {@code target/} while these walk, and a walk that enters one as it is deleted fails (seen: CircleCiConfigReferencesTest
 * beside GuardHookInputsTest, whose {@code target/guard-hook-shapes} vanished mid-walk).
 */
public final class RepositoryFiles {

  /** Folders that are never the repository's own files, wherever they are. */
  public static final Set<String> NOT_OURS = Set.of(".git", "target", "node_modules");

  private RepositoryFiles() {}

  /** Every regular file under {@code root}, outside {@link #NOT_OURS}. */
  public static List<Path> under(Path root) {
    return under(root, Set.of());
  }

  /** The same, outside folders named in {@code alsoSkipped} too. */
  public static List<Path> under(Path root, Set<String> alsoSkipped) {
    Set<String> skipped = new HashSet<>(NOT_OURS);
    skipped.addAll(alsoSkipped);
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
          return !dir.equals(root) && skipped.contains(dir.getFileName().toString())
              ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          if (attributes.isRegularFile()) {
            files.add(file);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
    files.sort(null);
    return files;
  }
}
