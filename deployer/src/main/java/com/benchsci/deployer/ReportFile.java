package com.benchsci.deployer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a report (review, drift, audit) to its file, creating the folder; a failure is one clear line. */
public final class ReportFile {

  private ReportFile() {}

  public static void write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DeployException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
