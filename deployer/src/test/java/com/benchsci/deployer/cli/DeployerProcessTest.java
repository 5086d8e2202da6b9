package com.benchsci.deployer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.aws.SdkClients;
import com.benchsci.deployer.core.AwsClients;
import com.benchsci.deployer.core.ProductStack;
import com.benchsci.deployer.core.Target;
import com.benchsci.deployer.emulator.MotoServer;
import com.benchsci.deployer.testing.FaultProxy;
import com.benchsci.deployer.testing.MotoPool;
import com.benchsci.deployer.testing.Processes;
import com.benchsci.deployer.testing.TestJvm;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetSummary;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * The deployer as users run it: its CLI main in separate JVMs (the repository's real templates, cfn-lint and
 * cfn-guard included), against one real moto server, with real signals.
 */
@Tag("emulator")
class DeployerProcessTest {

  private static MotoServer moto;
  private static FaultProxy proxy;

  @TempDir
  Path dir;

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
  void twoDeploysStartedAtTheSameMomentNeverDestroyEachOther() throws Exception {
    Process first = deployer(moto.endpoint());
    Process second = deployer(moto.endpoint());
    CompletableFuture<String> firstOutput = Processes.output(first);
    CompletableFuture<String> secondOutput = Processes.output(second);
    assertThat(first.waitFor(3, TimeUnit.MINUTES) && second.waitFor(1, TimeUnit.MINUTES)).isTrue();
    List<String> outputs = List.of(firstOutput.get(), secondOutput.get());
    List<Integer> exits = List.of(first.exitValue(), second.exitValue());
    System.out.printf("concurrent deploys: exit codes %s%n", exits);

    // One goes first; the other either comes after it, or refuses in one line before executing anything: it names
    // the run that holds the stack, or (when that run executed first) says its own change set is obsolete, as AWS
    // marks it.
    String both = "\n--- first run ---\n" + outputs.get(0) + "\n--- second run ---\n" + outputs.get(1);
    assertThat(exits).as(both).contains(0).allMatch(code -> code == 0 || code == 1);
    for (int i = 0; i < 2; i++) {
      if (exits.get(i) == 1) {
        assertThat(outputs.get(i)).as(both).containsPattern("(?m)^ERROR: (stack hello-host(-bootstrap)? is held by"
            + " another deploy: (change set hello-host-\\S+ \\(.*|created \\d+ s ago without the Guard Hook's rules,"
            + " which that run adds next; )nothing was changed: deploy again when that run has finished|change set"
            + " hello-host-\\S+ of stack hello-host(-bootstrap)? is OBSOLETE, not AVAILABLE"
            + " \\(stale or already used\\): nothing executed; run the deploy again)$")
            .doesNotContain("Executing change set " + changeSetOf(outputs.get(i)) + " ");
      }
    }
    try (AwsClients aws = clients()) {
      CloudFormationClient cfn = aws.cloudFormation();
      for (String stack : ProductStack.stackNames()) {
        // The bootstrap stack is created, then updated with the Guard Hook's rules version.
        assertThat(cfn.describeStacks(r -> r.stackName(stack)).stacks()).extracting(Stack::stackStatusAsString)
            .as(stack).singleElement().isIn("CREATE_COMPLETE", "UPDATE_COMPLETE");
        assertThat(pending(cfn, stack)).as("change sets left on " + stack).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"INT, 130", "TERM, 143"})
  void aSignalWhileWaitingForTheChangeSetDeletesItAndItsPlaceholder(String signal, int exitCode) throws Exception {
    proxy.holdCalls("DescribeChangeSet", "CreateChangeSet");
    Process deployer = deployer(proxy.endpoint());
    CompletableFuture<String> output = Processes.output(deployer);
    proxy.awaitHeldCallOf(deployer);

    Processes.signal(signal, deployer);
    assertThat(deployer.waitFor(1, TimeUnit.MINUTES)).isTrue();
    String text = output.get();
    assertThat(deployer.exitValue()).as(text).isEqualTo(exitCode);
    assertThat(text).contains("Interrupted: cleaning up what this run (hello-host-")
        .containsPattern("Deleted change set hello-host-\\S+ of stack hello-host-bootstrap\\.")
        .contains("Deleted the placeholder stack hello-host-bootstrap (REVIEW_IN_PROGRESS)",
            "Interrupted: this run left nothing behind.");
    try (AwsClients aws = clients()) {
      assertThat(aws.cloudFormation().describeStacks().stacks()).as("stacks left").isEmpty();
      assertThat(pending(aws.cloudFormation(), ProductStack.BOOTSTRAP.stackName())).as("change sets left").isEmpty();
    }
  }

  @Test
  void aSignalDuringAnExecutionLeavesItRunningAndSaysHowToFollowIt() throws Exception {
    proxy.holdCalls("DescribeStackEvents", "ExecuteChangeSet");
    Process deployer = deployer(proxy.endpoint());
    CompletableFuture<String> output = Processes.output(deployer);
    proxy.awaitHeldCallOf(deployer);

    Processes.signal("INT", deployer);
    assertThat(deployer.waitFor(1, TimeUnit.MINUTES)).isTrue();
    String text = output.get();
    assertThat(deployer.exitValue()).as(text).isEqualTo(130);
    assertThat(text).containsPattern("Left change set hello-host-\\S+ executing on stack hello-host-bootstrap: an"
        + " execution cannot be stopped. Follow it with: aws cloudformation describe-stack-events --stack-name"
        + " hello-host-bootstrap --region \\S+");
    try (AwsClients aws = clients()) {
      assertThat(aws.cloudFormation().describeStacks(r -> r.stackName(ProductStack.BOOTSTRAP.stackName())).stacks())
          .extracting(Stack::stackStatusAsString).containsExactly("CREATE_COMPLETE");
    }
  }

  private static AwsClients clients() {
    return SdkClients.connect(Target.emulator(moto.endpoint(), "us-east-1"));
  }

  /** The run's change set name, from its "Deploying to ..." line. */
  private static String changeSetOf(String output) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("change set (hello-host-\\S+)\\)").matcher(output);
    return m.find() ? m.group(1) : "(none)";
  }

  private static List<String> pending(CloudFormationClient cfn, String stack) {
    // moto lists every stack's change sets: keep this stack's.
    return cfn.listChangeSets(r -> r.stackName(stack)).summaries().stream()
        .filter(s -> stack.equals(s.stackName()) && "AVAILABLE".equals(s.executionStatusAsString()))
        .map(ChangeSetSummary::changeSetName).toList();
  }

  /** {@code java ... Cli} against {@code endpoint}, on a copy of the repository's templates. */
  private Process deployer(URI endpoint) throws IOException {
    Path repo = Path.of(System.getProperty("repo.root"));
    Path templates = dir.resolve("cloudformation");
    if (!Files.isDirectory(templates)) {
      Files.createDirectories(templates);
      for (String file : List.of("bootstrap.yaml", "stack.yaml", "bootstrap-local.json", "stack-local.json")) {
        Files.copy(repo.resolve("cloudformation").resolve(file), templates.resolve(file));
      }
      Files.writeString(dir.resolve("app.jar"), "not really a jar, but bytes with a digest");
    }
    return new ProcessBuilder(Processes.withSigintAtDefault(TestJvm.command(Cli.class, "--templates",
        templates.toString(), "--rules", repo.resolve("guard-rules").toString(), "--app-jar",
        dir.resolve("app.jar").toString(), "--endpoint", endpoint.toString(), "--review-file",
        dir.resolve("review.md").toString(), "--wait-minutes", "5")))
        .redirectErrorStream(true).start();
  }
}
