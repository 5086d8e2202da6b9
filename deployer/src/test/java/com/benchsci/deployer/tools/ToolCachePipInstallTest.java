package com.benchsci.deployer.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.testing.TestJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pip install that fails halfway, as a user meets it: the virtual environment is made (so {@code bin/python}
 * exists), then {@code pip install} cannot get the package, here because the index is a closed port on loopback
 * and the pinned version is not on this machine. The cache must not take that environment for an installed moto:
 * the next run must say clearly that the install failed, not hand out an interpreter without moto. (Before the fix
 * the second run returned {@code <cache>/moto-<version>/bin/python -m moto.server}.)
 */
@Tag("emulator")
class ToolCachePipInstallTest {

  /** A moto release that is not the one on this machine, so the cache installs it into its own environment. */
  private static final String NOT_ON_THIS_MACHINE = "5.1.0";

  @TempDir
  Path cache;

  @Test
  void anInstallThatFailedHalfwayIsNotTakenForAnInstalledToolAndAFailedOneLeavesNothing() throws Exception {
    // What an install killed between `python3 -m venv` and the end of `pip install` leaves: an environment with
    // bin/python and without the mark of a finished install (pip itself is not needed for that, and costs seconds).
    Path venv = cache.resolve("moto-" + NOT_ON_THIS_MACHINE);
    Process made = new ProcessBuilder("python3", "-m", "venv", "--without-pip", venv.toString()).inheritIO().start();
    assertThat(made.waitFor()).isZero();
    assertThat(venv.resolve("bin/python")).exists();

    Run run = install(closedPort());

    assertThat(run.log()).as("the half-made environment, not taken for moto")
        .contains("Removing the unfinished install " + venv);
    assertThat(run.exitCode()).as(run.log()).isEqualTo(1);
    assertThat(run.result())
        .startsWith("FAILED: cannot install moto[server]==" + NOT_ON_THIS_MACHINE + " into " + venv + ": ")
        .endsWith("; nothing was left behind: the next run installs it again");
    assertThat(venv).as("what the failed install made").doesNotExist();
  }

  /** {@code result}: the JVM's last line (what it got from the cache); {@code log}: everything it printed. */
  private record Run(int exitCode, String result, String log) {}

  /** A JVM asking the cache for moto, with pip pointed at {@code port} on loopback and nothing else. */
  private Run install(int port) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(TestJvm.command(MotoInstall.class, cache.toString(),
        NOT_ON_THIS_MACHINE)).redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("PIP_"));
    environment.put("PIP_CONFIG_FILE", "/dev/null"); // no find-links or extra index from the machine's pip.conf
    environment.put("PIP_INDEX_URL", "http://127.0.0.1:" + port + "/simple");
    environment.put("PIP_RETRIES", "0");
    environment.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String[] lines = output.strip().split("\n");
    return new Run(process.exitValue(), lines[lines.length - 1], output);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
