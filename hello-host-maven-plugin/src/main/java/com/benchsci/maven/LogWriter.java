package com.benchsci.maven;

import java.io.Writer;
import org.apache.maven.plugin.logging.Log;

/**
 * The deployer's progress, line by line, as Maven's own log at info level: {@code -q} hides it like any other
 * goal's progress, and in batch mode ({@code -B}) Maven prints it without colours.
 */
final class LogWriter extends Writer {

  private final Log log;
  private final StringBuilder line = new StringBuilder();

  LogWriter(Log log) {
    this.log = log;
  }

  @Override
  public void write(char[] buffer, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      char c = buffer[i];
      if (c == '\n') {
        emit();
      } else if (c != '\r') {
        line.append(c);
      }
    }
  }

  /** A partial line waits for its end: the deployer flushes after half a line ("Waiting...") now and then. */
  @Override
  public void flush() {}

  @Override
  public void close() {
    if (!line.isEmpty()) {
      emit();
    }
  }

  private void emit() {
    log.info(line.toString());
    line.setLength(0);
  }
}
