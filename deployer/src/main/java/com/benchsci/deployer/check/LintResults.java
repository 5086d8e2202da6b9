package com.benchsci.deployer.check;

import com.benchsci.deployer.core.ContentHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The JSON the pinned cfn-lint printed for a template, kept under the SHA-256 of the template's bytes in the tool
 * cache ({@code cfn-lint-results/<version>/}): cfn-lint reads nothing but the template and, with {@link LintCheck}'s
 * arguments, no configuration of the machine, so the same bytes get the same findings, and a deploy of templates
 * that a build, an earlier deploy or another test already linted starts no Python (about 2.5 s of CPU each).
 */
final class LintResults {

  private final Path dir;

  /** {@code dir}: this cfn-lint version's folder in the tool cache. */
  LintResults(Path dir) {
    this.dir = dir;
  }

  Optional<String> find(byte[] template) {
    try {
      return Optional.of(Files.readString(file(template), StandardCharsets.UTF_8));
    } catch (IOException none) {
      return Optional.empty();
    }
  }

  /**
   * Keeps {@code json} for {@code template}: written beside its place and renamed into it, so a reader (another
   * build's JVM) sees the whole file or none; the same bytes always get the same JSON, so the last writer wins.
   */
  void keep(byte[] template, String json) {
    Path file = file(template);
    try {
      Files.createDirectories(dir);
      Path partial = Files.createTempFile(dir, file.getFileName().toString(), ".partial");
      Files.writeString(partial, json, StandardCharsets.UTF_8);
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // Only a later check's time depends on it: the findings in hand stand.
      System.err.println("warning: cannot keep cfn-lint's result in " + dir + " (" + e + ")");
    }
  }

  private Path file(byte[] template) {
    return dir.resolve(ContentHash.sha256(template) + ".json");
  }
}
