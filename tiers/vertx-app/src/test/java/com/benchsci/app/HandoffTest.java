package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A rollout as the host does it, on real processes: a second instance of the app starts on the same port while the
 * first serves, then the first gets SIGTERM, and a client that never stops requesting sees no failed request. Runs in
 * a network namespace of its own with the host's {@code net.ipv4.tcp_migrate_req=1}.
 */
@Tag("emulator")
class HandoffTest {
  private static final int PORT = 8080; // the namespace is empty: any port is free
  private final List<Process> processes = new ArrayList<>();
  private Netns netns;

  @BeforeEach
  void namespace() throws Exception {
    try {
      netns = Netns.create();
    } catch (IllegalStateException e) {
      System.out.println("!!!!! HandoffTest SKIPPED: " + e.getMessage() + " !!!!!");
      Assumptions.abort(e.getMessage());
    }
  }

  @AfterEach
  void stop() throws Exception {
    processes.forEach(Process::destroyForcibly);
    netns.close();
  }

  @Test
  void aNewInstanceTakesOverWhileTheOldDrainsAndNoRequestFails() throws Exception {
    Process old = start(JavaCommand.of(Main.class));
    ProcessLines oldLog = new ProcessLines(old.getInputStream());
    assertThat(oldLog.next()).isEqualTo("listening on http port " + PORT);

    Process client = start(JavaCommand.of(LoadClient.class, String.valueOf(PORT), "2"));
    ProcessLines clientOutput = new ProcessLines(client.getInputStream());
    assertThat(clientOutput.next()).isEqualTo("running");

    Process next = start(JavaCommand.of(Main.class));
    ProcessLines nextLog = new ProcessLines(next.getInputStream());
    // It may answer before it says so: the kernel hands it connections as soon as its socket listens.
    int servedByNext = 0;
    String line = nextLog.next();
    while (line != null && line.contains("\"GET /hello HTTP/1.1\" 200")) {
      servedByNext++;
      line = nextLog.next();
    }
    assertThat(line).as("the second instance listens beside the first").isEqualTo("listening on http port " + PORT);

    old.toHandle().destroy(); // SIGTERM
    assertThat(old.waitFor(30, TimeUnit.SECONDS)).as("the old instance exited").isTrue();
    assertThat(old.exitValue()).isZero();
    List<String> oldLines = oldLog.rest();
    assertThat(oldLines).last().isEqualTo("stopped");

    // The client is still requesting: wait until the new instance alone has answered some, then stop the client.
    while (servedByNext < 200) {
      line = nextLog.next();
      assertThat(line).as("the new instance keeps answering").isNotNull();
      if (line.contains("\"GET /hello HTTP/1.1\" 200")) {
        servedByNext++;
      }
    }
    client.getOutputStream().close();
    assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> result = clientOutput.rest();

    assertThat(result).as("the client's count, then its failures").first().asString().endsWith(" failed=0");
    assertThat(result).hasSize(1);
    long servedByOld = oldLines.stream().filter(logged -> logged.contains("\"GET /hello HTTP/1.1\" 200")).count();
    assertThat(servedByOld).as("the old instance served until its stop").isPositive();
  }

  private Process start(List<String> command) throws IOException {
    Process process = JavaCommand.process(netns.command(command), Map.of("HTTP_PORT", String.valueOf(PORT)))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    processes.add(process);
    return process;
  }
}
