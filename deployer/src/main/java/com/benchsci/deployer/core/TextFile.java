package com.benchsci.deployer.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a text file (a review, a report, the audit's document), creating its folder; a failure is one line. */
public final class TextFile {

  private TextFile() {}

  public static void write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DeployException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
