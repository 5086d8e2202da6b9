package com.benchsci.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The processes a test starts, killed after it whatever happened ({@code @RegisterExtension}). */
final class AppProcesses implements AfterEachCallback {
  private final List<Process> started = new ArrayList<>();

  Process start(ProcessBuilder builder) throws IOException {
    Process process = builder.start();
    started.add(process);
    return process;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    started.forEach(Process::destroyForcibly);
    started.clear();
  }
}
