package com.benchsci.hostharness.standin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A helper script's log file in aws-cfn-bootstrap's format ({@code 2025-01-31 12:00:00,123 [INFO] message}), appended
 * to as the real scripts do (cfn-hup: /var/log/cfn-hup.log); DEBUG lines only when verbose.
 */
final class StandInLog {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

  private final Path file;
  private final boolean verbose;

  StandInLog(Path file, boolean verbose) {
    this.file = file;
    this.verbose = verbose;
  }

  StandInLog verbose(boolean on) {
    return new StandInLog(file, on);
  }

  void info(String format, Object... args) {
    write("INFO", format, args);
  }

  void warn(String format, Object... args) {
    write("WARNING", format, args);
  }

  void error(String format, Object... args) {
    write("ERROR", format, args);
  }

  void debug(String format, Object... args) {
    if (verbose) {
      write("DEBUG", format, args);
    }
  }

  private synchronized void write(String level, String format, Object... args) {
    String line = TIME.format(LocalDateTime.now()) + " [" + level + "] " + String.format(format, args) + "\n";
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the log " + file, e);
    }
  }
}
