package com.benchsci.deployer.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.cli.Cli;
import com.benchsci.deployer.cli.ExitCode;
import com.benchsci.deployer.emulator.MotoServer;
import com.benchsci.deployer.testing.FaultProxy;
import com.benchsci.deployer.testing.MotoPool;
import com.benchsci.deployer.testing.Processes;
import com.benchsci.deployer.testing.TestJvm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A rehearsal ended from outside, as users end it: the CLI in its own JVM against a real moto server, caught in the
 * middle of its run (both stacks, the Elastic IP and the buckets made, a call of step 6 held unanswered by a proxy),
 * then a real SIGTERM (the shutdown hook deletes everything and prints the rows so far), or a SIGKILL, after which a
 * second invocation, {@code rehearse --cleanup <id>}, deletes everything.
 */
@Tag("emulator")
class RehearsalProcessTest {

  private static MotoServer moto;
  private static FaultProxy proxy;

  @BeforeAll
  static void startMoto() throws IOException {
    moto = MotoPool.shared().take();
    proxy = new FaultProxy(moto.endpoint());
  }

  @AfterAll
  static void stopMoto() {
    proxy.close();
    MotoPool.shared().give(moto);
  }

  @BeforeEach
  void emptyAccount() {
    moto.reset();
    proxy.reset();
  }

  @Test
  void aSigtermMidRunDeletesEverythingItMadeAndPrintsTheRowsSoFar() throws Exception {
    Process rehearsal = rehearsalHeldAtStep6();
    CompletableFuture<String> output = Processes.output(rehearsal);
    proxy.awaitHeldCallOf(rehearsal);

    Processes.signal("TERM", rehearsal);
    assertThat(rehearsal.waitFor(2, TimeUnit.MINUTES)).isTrue();
    String text = output.get();
    assertThat(rehearsal.exitValue()).as(text).isEqualTo(143);
    RehearsalId id = new RehearsalId(RehearsalMoto.idIn(text));
    assertThat(text).contains("Interrupted: deleting everything rehearsal " + id + " made",
            "Rehearsal " + id + " left nothing behind", "REHEARSAL INTERRUPTED: everything it made is deleted.")
        .containsPattern("(?m)^ +1  Create both stacks under the rehearsal's names +passed ")
        .containsPattern("(?m)^ +6  Port 8080 opened by hand: the audit fails +not run +interrupted while it ran$")
        .containsPattern("(?m)^ +7  The Guard Hook refuses a violating change set +not run +interrupted before$")
        .containsPattern("(?m)^ +12  Everything the rehearsal made is deleted +passed +released the Elastic IP ");
    assertThat(RehearsalMoto.leftovers(moto.endpoint(), id)).isEmpty();
  }

  @Test
  void aRehearsalKilledOutrightIsCleanedUpByASecondInvocation() throws Exception {
    Process rehearsal = rehearsalHeldAtStep6();
    CompletableFuture<String> output = Processes.output(rehearsal);
    proxy.awaitHeldCallOf(rehearsal);

    Processes.signal("KILL", rehearsal);
    assertThat(rehearsal.waitFor(1, TimeUnit.MINUTES)).isTrue();
    RehearsalId id = new RehearsalId(RehearsalMoto.idIn(output.get()));
    assertThat(RehearsalMoto.leftovers(moto.endpoint(), id)).as("what the killed run left")
        .contains("stack " + id.appStack(), "stack " + id.bootstrapStack(),
            "bucket " + id.appStack() + "-artifacts-123456789012-us-east-1")
        .anyMatch(l -> l.startsWith("address "));

    StringWriter out = new StringWriter();
    CommandLine cli = Cli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    int exit = cli.execute("rehearse", "--cleanup", id.name(), "--endpoint", moto.endpoint().toString());

    assertThat(exit).as(out.toString()).isEqualTo(ExitCode.OK.code());
    assertThat(out.toString()).containsPattern("(?m)^ +12  Everything the rehearsal made is deleted +passed"
        + " +released the Elastic IP [0-9.]+; deleted stack " + id + "; deleted stack " + id + "-bootstrap; deleted"
        + " bucket " + id + "-artifacts-");
    assertThat(RehearsalMoto.leftovers(moto.endpoint(), id)).isEmpty();
  }

  /**
   * The CLI in a JVM of its own, through the proxy, which holds step 6's AuthorizeSecurityGroupIngress (the first
   * after the step's DescribeVpcs): by then both stacks, the Elastic IP and the buckets exist.
   */
  private static Process rehearsalHeldAtStep6() throws IOException {
    proxy.holdCalls("AuthorizeSecurityGroupIngress", "DescribeVpcs");
    // The build's flags for test JVMs (C1 alone, the serial collector: a short run leaves the cores to moto).
    List<String> command = TestJvm.command(Cli.class, RehearsalMoto.rehearse(proxy.endpoint()).toArray(String[]::new));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }
}
