package com.benchsci.hostharness.standin;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.hostharness.Emulator;
import com.benchsci.hostharness.NspawnContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Parameter;

/**
 * The cfn-hup stand-in against a real emulator through the CloudFormation stand-in, each behaviour as AWS's cfn-hup
 * reference (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/cfn-hup.html) and
 * aws-cfn-bootstrap's source (bin/cfn-hup, cfnbootstrap/update_hooks.py; python-daemon) describe it. Its files live
 * under a scratch root ({@code standin.root}), never in this machine's /etc or /var.
 */
@Tag("emulator")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CfnHupStandInTest {

  private static final String TEMPLATE = """
      Parameters:
        Version: {Type: String}
      Resources:
        Thing:
          Type: AWS::S3::Bucket
          Metadata:
            App:
              Version: !Ref Version
              Name: !Sub "${AWS::StackName}-app"
      """;
  private static final String WITHOUT_APP = TEMPLATE.replaceAll("(?s)App:.*", "Other: !Ref Version\n");

  private Emulator emulator;
  private CloudFormationStandIn cloudFormation;
  private CloudFormationClient cfn;
  private String stackId;

  @TempDir
  Path root;
  private final List<Process> started = new ArrayList<>();

  @BeforeAll
  void emulator(@TempDir Path logs) {
    emulator = Emulator.start("127.0.0.1", logs.resolve("moto.log"));
    cloudFormation = CloudFormationStandIn.start("127.0.0.1", emulator.endpoint(), "us-east-1");
    cfn = CloudFormationClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .build();
  }

  @AfterAll
  void stop() {
    cfn.close();
    cloudFormation.close();
    emulator.close();
  }

  @BeforeEach
  void stackAndConfig() throws IOException {
    String name = "standin-" + System.nanoTime();
    stackId = cfn.createStack(r -> r.stackName(name).templateBody(TEMPLATE)
        .parameters(Parameter.builder().parameterKey("Version").parameterValue("1").build())).stackId();
    System.setProperty("standin.root", root.toString());
    write("/opt/aws/standin/endpoints.properties", "cloudformation.us-east-1=" + cloudFormation.endpoint() + "\n");
    write("/etc/cfn/cfn-hup.conf", "[main]\nstack=" + stackId + "\nregion=us-east-1\ninterval=1\n");
    hook("post.update", "");
  }

  @AfterEach
  void cleanUp() {
    System.clearProperty("standin.root");
    started.forEach(Process::destroyForcibly);
    daemonPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
  }

  @Test
  void postUpdateRunsTheActionOnceForAChangeWithTheOldAndNewValues() throws IOException {
    assertThat(check()).as("the first check only stores the value").isZero();
    assertThat(actions()).isEmpty();

    update(TEMPLATE, "2");
    check();
    check();

    assertThat(actions()).containsExactly(
        "old={\"Version\":\"1\",\"Name\":\"" + stackName() + "-app\"} new={\"Version\":\"2\",\"Name\":\""
            + stackName() + "-app\"}");
  }

  @Test
  void aFailedActionRunsAgainAtTheNextCheckUntilItSucceeds() throws IOException {
    check();
    update(TEMPLATE, "2");
    write("/exit-code", "1");
    check();
    check();
    write("/exit-code", "0");
    check();
    check();

    assertThat(actions()).hasSize(3);
    assertThat(log()).contains("Action for app exited with 1; will retry on next iteration");
  }

  @Test
  void postAddRunsWhenNothingIsStoredAndPostRemoveWhenThePathIsGone() throws IOException {
    hook("post.add, post.remove", "");

    check();
    update(WITHOUT_APP, "1");
    check();

    assertThat(actions()).containsExactly(
        "old= new={\"Version\":\"1\",\"Name\":\"" + stackName() + "-app\"}",
        "old={\"Version\":\"1\",\"Name\":\"" + stackName() + "-app\"} new=");
    assertThat(log()).contains("Previous state not found; action for app will be run",
        "Path Resources.Thing.Metadata.App was removed; action for app will be run");
  }

  @Test
  void anApiErrorIsLoggedAndTheCheckGoesOn() throws IOException {
    write("/etc/cfn/cfn-hup.conf", "[main]\nstack=no-such-stack\n");

    assertThat(check()).isZero();

    assertThat(log()).contains("[ERROR] Exception caught while running hook app: DescribeStackResource of Thing in"
        + " no-such-stack").contains("400 ValidationError");
    assertThat(actions()).isEmpty();
  }

  @Test
  void runasRunsTheActionThroughSu() throws IOException {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "su to another user asks for a password unless root runs it, as cfn-hup does");
    hook("post.add", "runas=root\n");

    check();

    assertThat(actions()).hasSize(1);
    assertThat(Files.readString(root.resolve("user")).strip()).isEqualTo("root");
  }

  @Test
  void aDaemonStartedOutsideInitForksChecksAtOnceHoldsItsPidFileAndStopsOnSigterm() throws Exception {
    Process parent = standIn(List.of(), "-c", root.resolve("etc/cfn").toString());
    assertThat(parent.waitFor(30, TimeUnit.SECONDS)).as("the command returns once it forked").isTrue();
    assertThat(parent.exitValue()).isZero();
    NspawnContainer.awaitTrue("the daemon's PID file", Duration.ofSeconds(30), () -> daemonPid().isPresent());
    long daemon = daemonPid().orElseThrow();
    assertThat(daemon).as("the daemon is the forked process, not the command").isNotEqualTo(parent.pid());
    NspawnContainer.awaitTrue("the daemon's first check", Duration.ofSeconds(30),
        () -> Files.exists(root.resolve("var/lib/cfn-hup/data/metadata_db.json")));

    // A second daemon waits for the first one's PID file (python-daemon's lock) instead of checking too.
    Process second = standIn(List.of("CFN_HUP_STANDIN_DETACHED=1"), "-c", root.resolve("etc/cfn").toString());
    assertThat(second.waitFor(3, TimeUnit.SECONDS)).as("the second daemon is still waiting for the lock").isFalse();
    assertThat(daemonPid()).contains(daemon);
    second.destroyForcibly().waitFor();

    assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(daemon)).start().waitFor()).isZero();
    NspawnContainer.awaitTrue("the daemon to exit on SIGTERM", Duration.ofSeconds(30),
        () -> ProcessHandle.of(daemon).map(p -> !p.isAlive()).orElse(true));
    assertThat(root.resolve("var/run/cfn-hup.pid")).as("removed by the daemon on its way out").doesNotExist();
    assertThat(log()).contains("[INFO] Shutting down cfn-hup");
  }

  @Test
  void anIntervalUnderOneMinuteStopsTheDaemonButNotASingleCheck() throws Exception {
    write("/etc/cfn/cfn-hup.conf", "[main]\nstack=" + stackId + "\ninterval=0\n");

    assertThat(check()).as("--no-daemon does not read the interval").isZero();
    Process daemon = standIn(List.of("CFN_HUP_STANDIN_DETACHED=1"), "-c", root.resolve("etc/cfn").toString());
    assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(daemon.exitValue()).isEqualTo(1);
    assertThat(log()).contains("Invalid interval (must be 1 minute or greater): 0");
  }

  // ---- helpers ----

  /** One check, as {@code cfn-hup --no-daemon}: the exit code. */
  private int check() {
    return CfnHupStandIn.run(new String[] {"-c", root.resolve("etc/cfn").toString(), "--no-daemon"});
  }

  /** The stand-in as its own process (the daemon's fork needs one), with this root. */
  private Process standIn(List<String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dstandin.root=" + root, "-cp", System.getProperty("java.class.path"), CfnHupStandIn.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(root.resolve("standin-" + started.size() + ".out").toFile());
    env.forEach(pair -> builder.environment().put(pair.split("=")[0], pair.split("=")[1]));
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private void hook(String triggers, String extra) throws IOException {
    write("/etc/cfn/hooks.d/app.conf", "[app]\ntriggers=" + triggers + "\npath=Resources.Thing.Metadata.App\n"
        + "action=printf 'old=%s new=%s\\n' \"$CFN_OLD_METADATA\" \"$CFN_NEW_METADATA\" >> " + root + "/actions;"
        + " id -un > " + root + "/user; exit $(cat " + root + "/exit-code 2>/dev/null || echo 0)\n" + extra);
  }

  private void update(String template, String version) {
    cfn.updateStack(r -> r.stackName(stackId).templateBody(template)
        .parameters(Parameter.builder().parameterKey("Version").parameterValue(version).build()));
  }

  private String stackName() {
    return cfn.describeStacks(r -> r.stackName(stackId)).stacks().get(0).stackName();
  }

  private List<String> actions() throws IOException {
    Path file = root.resolve("actions");
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  private String log() throws IOException {
    return Files.readString(root.resolve("var/log/cfn-hup.log"));
  }

  private java.util.Optional<Long> daemonPid() {
    try {
      return java.util.Optional.of(Long.parseLong(Files.readString(root.resolve("var/run/cfn-hup.pid")).strip()));
    } catch (IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  private void write(String path, String text) throws IOException {
    Path file = root.resolve(path.substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
