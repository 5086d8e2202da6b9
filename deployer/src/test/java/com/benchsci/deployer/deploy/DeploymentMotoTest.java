package com.benchsci.deployer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.aws.SdkClients;
import com.benchsci.deployer.check.GuardCheck;
import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.DeploySettings;
import com.benchsci.deployer.core.Destination;
import com.benchsci.deployer.core.DriftChoice;
import com.benchsci.deployer.core.ImageChoice;
import com.benchsci.deployer.core.Mode;
import com.benchsci.deployer.core.ProductStack;
import com.benchsci.deployer.core.ReviewedDigests;
import com.benchsci.deployer.core.RunId;
import com.benchsci.deployer.core.Safeguard;
import com.benchsci.deployer.core.Sources;
import com.benchsci.deployer.emulator.MotoServer;
import com.benchsci.deployer.report.ImpactText;
import com.benchsci.deployer.stack.Assessment;
import com.benchsci.deployer.stack.Assessor;
import com.benchsci.deployer.stack.EmulatorQuirks;
import com.benchsci.deployer.stack.RunLease;
import com.benchsci.deployer.stack.StackDeployer;
import com.benchsci.deployer.stack.StackResult;
import com.benchsci.deployer.report.ReviewMarkdown;
import com.benchsci.deployer.template.Template;
import com.benchsci.deployer.template.TemplateCheck;
import com.benchsci.deployer.template.TemplateChecks;
import com.benchsci.deployer.testing.EmulatorApi;
import com.benchsci.deployer.testing.FaultProxy;
import com.benchsci.deployer.testing.MotoPool;
import com.benchsci.deployer.testing.StartsFirst;
import com.benchsci.deployer.testing.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/** The deployer against a real moto server, through a proxy that can inject faults. */
@StartsFirst
@Tag("emulator")
@Execution(ExecutionMode.CONCURRENT)
class DeploymentMotoTest {

  private static final AtomicInteger RUNS = new AtomicInteger();
  /** moto serves AWS's public Amazon Linux parameters (a snapshot of their values shipped with moto). */
  private static final String ARM64_IMAGE = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
  private static final String BOOTSTRAP = ProductStack.BOOTSTRAP.stackName();
  private static final String APP = ProductStack.APP.stackName();
  private static final String PROTECT = "UpdateTerminationProtection";
  /** The methods run side by side, each on a moto server of its own from the JVM's pool, behind a proxy of its own. */
  private MotoServer moto;
  private FaultProxy proxy;
  private EmulatorApi direct;

  @TempDir
  Path dir;

  /** The policy rules the deployer checks with and publishes for the Guard Hook: the repository's own. */
  private Path rules = Path.of(System.getProperty("repo.root"), "guard-rules");

  @BeforeEach
  void emptyAccount() throws IOException {
    moto = MotoPool.shared().take();
    proxy = new FaultProxy(moto.endpoint());
    direct = EmulatorApi.at(moto.endpoint());
  }

  @AfterEach
  void giveBack() {
    proxy.close();
    MotoPool.shared().give(moto);
  }

  record Run(String output, DeployException error, DeployOutcome outcome) {
    /** Stopped before a change set that was not the reviewed one. */
    boolean stopped() {
      return outcome != null && outcome.kind() == DeployOutcome.Kind.STOPPED_UNREVIEWED;
    }
  }

  @Test
  void firstDeployOfTheRealTemplatesAppliesThePolicyAndTheSecondChangesNothing() throws IOException {
    Path templates = Path.of(System.getProperty("repo.root"), "cloudformation");
    String published;
    try (SsmClient ssm = direct.ssm()) {
      published = ssm.getParameter(r -> r.name(ARM64_IMAGE)).parameter().value();
    }
    Run first = deploy(templates, true, List.of());
    assertThat(first.error()).isNull();
    assertThat(first.output()).contains("Image Arm64ImageId = " + published + " (new stack: latest from SSM "
        + ARM64_IMAGE + ")");
    try (Ec2Client ec2 = ec2()) {
      String instance = physicalId(APP, "WebServer");
      assertThat(ec2.describeInstances(r -> r.instanceIds(instance)).reservations().get(0).instances().get(0)
          .imageId()).isEqualTo(published);
    }
    assertThat(first.output())
        .containsPattern("Add +WebSecurityGroup +AWS::EC2::SecurityGroup")
        .contains("Stack hello-host is CREATE_COMPLETE")
        .containsPattern("CREATE_COMPLETE +AWS::CloudFormation::Stack +hello-host")
        .containsPattern("The app would be reached at http://[0-9.]+/");
    String vpcCidr;
    try (Ec2Client ec2 = ec2()) {
      vpcCidr = ec2.describeVpcs(r -> r.vpcIds(physicalId(APP, "Vpc"))).vpcs().get(0).cidrBlock();
    }
    assertThat(ingressOf("WebSecurityGroup")).containsExactlyInAnyOrder(
        "tcp 80-80 0.0.0.0/0", "tcp 443-443 0.0.0.0/0", "icmp -1--1 0.0.0.0/0", "tcp 22-22 104.154.0.0/15",
        "tcp 0-65535 " + vpcCidr, "udp 0-65535 " + vpcCidr);
    RulesBundle bundle = RulesBundle.of(rules);
    try (S3Client s3 = direct.s3()) {
      String bucket = physicalId(BOOTSTRAP, "ArtifactBucket");
      assertThat(s3.listObjectsV2(r -> r.bucket(bucket)).contents()).extracting(o -> o.key())
          .containsExactlyInAnyOrder(ArtifactStore.keyFor(appJar()), bundle.key());
    }

    assertThat(first.output()).contains("Creating stack hello-host-bootstrap without the Guard Hook first",
        "Uploaded the guard rules to", "Guard Hook rules (FirewallGuardHook RuleLocation): none (no hook) -> s3://");
    List<String> versions = ruleVersions(bundle.key());
    assertThat(versions).hasSize(1);
    assertThat(bootstrapParameters()).containsEntry(GuardRules.KEY, bundle.key())
        .containsEntry(GuardRules.VERSION, versions.get(0));
    assertThat(bundledRules(bundle.key(), versions.get(0))).isEqualTo(guardFiles(rules));

    Run second = deploy(templates, true, List.of());
    assertThat(second.error()).isNull();
    assertThat(second.output())
        .contains("No changes to stack hello-host-bootstrap.", "No changes to stack hello-host.", "already in",
            "The guard rules are already in")
        .doesNotContain("Executing", "Guard Hook rules (");
    assertThat(ruleVersions(bundle.key())).isEqualTo(versions);
    assertThat(changeSets(BOOTSTRAP)).isEmpty();
    assertThat(changeSets(APP)).isEmpty();
  }

  @Test
  void aChangedRuleIsReviewedAsAChangeOfTheHooksRulesThenPublishedAndPinned() throws IOException {
    Path repositoryRules = rules;
    rules = Files.createDirectories(dir.resolve("guard-rules"));
    try (Stream<Path> files = Files.list(repositoryRules)) {
      for (Path rule : files.filter(f -> f.toString().endsWith(".guard")).toList()) {
        Files.copy(rule, rules.resolve(rule.getFileName()));
      }
    }
    Path templates = templates("stack.yaml");
    assertThat(deploy(templates, true, List.of()).error()).isNull();
    RulesBundle before = RulesBundle.of(rules);
    String beforeVersion = bootstrapParameters().get(GuardRules.VERSION);
    Path rule = rules.resolve("sg_ingress_policy.guard");
    Files.writeString(rule, Files.readString(rule) + "# reworded\n");
    RulesBundle after = RulesBundle.of(rules);
    assertThat(after.key()).isNotEqualTo(before.key());

    Run review = deploy(templates, false, List.of());
    assertThat(review.error()).isNull();
    String bucket = physicalId(BOOTSTRAP, "ArtifactBucket");
    assertThat(Files.readString(dir.resolve("review.md"))).contains(
        "Guard Hook rules (FirewallGuardHook RuleLocation) on deploy: s3://" + bucket + "/" + before.key()
            + " version " + beforeVersion + " -> s3://" + bucket + "/" + after.key() + " version (set on upload)"
            + " (the deploy uploads the bundle and pins its version");
    assertThat(ruleVersions(after.key())).as("a review uploads nothing").isEmpty();

    Run deploy = deploy(templates, true, List.of());
    assertThat(deploy.error()).isNull();
    List<String> afterVersions = ruleVersions(after.key());
    assertThat(afterVersions).hasSize(1);
    assertThat(deploy.output()).contains("Uploaded the guard rules to s3://" + bucket + "/" + after.key(),
        "Guard Hook rules (FirewallGuardHook RuleLocation): s3://" + bucket + "/" + before.key() + " version "
            + beforeVersion + " -> s3://" + bucket + "/" + after.key() + " version " + afterVersions.get(0),
        "Stack hello-host-bootstrap is UPDATE_COMPLETE");
    assertThat(bootstrapParameters()).containsEntry(GuardRules.KEY, after.key())
        .containsEntry(GuardRules.VERSION, afterVersions.get(0));
    assertThat(bundledRules(after.key(), afterVersions.get(0))).isEqualTo(guardFiles(rules));

    Run again = deploy(templates, false, List.of());
    assertThat(again.error()).isNull();
    assertThat(Files.readString(dir.resolve("review.md"))).contains("### Stack `hello-host-bootstrap`\n\nNo changes.")
        .doesNotContain("Guard Hook rules (");
  }

  @Test
  void rulesOverwrittenAtTheirContentAddressArePublishedAgainUnderANewVersion() throws IOException {
    Path templates = templates("stack.yaml");
    assertThat(deploy(templates, true, List.of()).error()).isNull();
    RulesBundle bundle = RulesBundle.of(rules);
    String bucket = physicalId(BOOTSTRAP, "ArtifactBucket");
    String pinned = bootstrapParameters().get(GuardRules.VERSION);
    try (S3Client s3 = direct.s3()) {
      s3.putObject(r -> r.bucket(bucket).key(bundle.key()), RequestBody.fromString("rule ALLOW_ALL { }"));
    }

    Run run = deploy(templates, true, List.of());
    assertThat(run.error()).isNull();
    String republished = bootstrapParameters().get(GuardRules.VERSION);
    assertThat(run.output()).contains("Uploaded the guard rules to s3://" + bucket + "/" + bundle.key());
    assertThat(republished).isNotEqualTo(pinned);
    assertThat(bundledRules(bundle.key(), republished)).isEqualTo(guardFiles(rules));
  }

  @Test
  void aFailingChangeSetIsCleanedUpWithItsPlaceholderStack() throws IOException {
    Run run = deploy(templates("failing-stack.yaml"), true, List.of());
    assertThat(run.error()).hasMessageContaining("executing change set").hasMessageContaining("vpc-00000000");
    assertThat(stackNames()).containsExactly(BOOTSTRAP);
    assertThat(changeSets(BOOTSTRAP)).isEmpty();
  }

  @Test
  void aStackLeftRollbackCompleteIsDeletedAndCreatedAgain() throws IOException {
    Path templates = templates("stack.yaml");
    String before = deployedThenSeenRollbackComplete(templates);

    Run run = deploy(templates, true, List.of());
    assertThat(run.error()).isNull();
    assertThat(run.output()).contains("Stack hello-host is ROLLBACK_COMPLETE (its first create failed): deleting it",
        "Deleted stack hello-host.", "Creating CREATE change set", "Stack hello-host is CREATE_COMPLETE");
    assertThat(stackId(APP)).isNotEqualTo(before);
  }

  @Test
  void aStackLeftRollbackCompleteIsNotDeletedWithoutAReviewOfItsRecreation() throws IOException {
    Path templates = templates("stack.yaml");
    String before = deployedThenSeenRollbackComplete(templates);

    Run run = deploy(templates, true, List.of(), false, false, ReviewedDigests.of(Map.of()));
    assertThat(run.stopped()).as(run.output()).isTrue();
    assertThat(run.output()).contains("NOT EXECUTED: the re-creation of stack hello-host was not reviewed");
    assertThat(proxy.calls("DeleteStack")).isZero();
    assertThat(stackId(APP)).isEqualTo(before);
  }

  @Test
  void throttlingAndUnavailableAnswersAreRetried() throws IOException {
    proxy.failNextCloudFormationCalls(List.of(FaultProxy.Fault.throttling(), FaultProxy.Fault.unavailable(),
        FaultProxy.Fault.throttling(), FaultProxy.Fault.unavailable()));
    Run run = deploy(templates("stack.yaml"), true, List.of());
    assertThat(run.error()).isNull();
    assertThat(proxy.faultsServed()).isEqualTo(4);
    assertThat(run.output()).contains("Stack hello-host is CREATE_COMPLETE");
  }

  @Test
  void aChangeSetAnsweredAfterTheAttemptLimitIsCreatedOnce() throws IOException {
    // A moto starved of CPU (a loaded build) does the first CreateChangeSet and answers after one attempt's limit.
    // moto keeps no ClientToken, so a second attempt would make a second change set of the same name on a second
    // stack (docs/aws-contract.md), which the run then takes for another run's.
    proxy.answerNextLate("CreateChangeSet", SdkClients.ATTEMPT_LIMIT.plusSeconds(1));
    Run run = deploy(templates("stack.yaml"), true, List.of());
    assertThat(run.error()).isNull();
    assertThat(run.output()).contains("Stack hello-host is CREATE_COMPLETE");
    List<String> calls = proxy.requests("CreateChangeSet").stream()
        .map(body -> parameter(body, "StackName") + " " + parameter(body, "ClientToken")).toList();
    assertThat(calls).as("CreateChangeSet calls, by stack and ClientToken").doesNotHaveDuplicates();
  }

  @Test
  void aReviewRendersTheChangesAndLeavesNothingBehind() throws IOException {
    Path templates = templates("stack.yaml");
    Run firstReview = deploy(templates, false, List.of());
    assertThat(firstReview.error()).isNull();
    assertThat(Files.readString(dir.resolve("review.md")))
        .contains("| Add | ArtifactBucket | AWS::S3::Bucket | - |")
        .contains("Not reviewed: it needs the artifact bucket of hello-host-bootstrap");
    assertThat(stackNames()).as("placeholder stacks of the CREATE change sets").isEmpty();

    assertThat(deploy(templates, true, List.of()).error()).isNull();
    addSshRule(templates);
    Run review = deploy(templates, false, List.of());
    assertThat(review.error()).isNull();
    assertThat(Files.readString(dir.resolve("review.md")))
        .contains("### Stack `hello-host-bootstrap`\n\nNo changes.")
        .contains("| Modify | WebSecurityGroup | AWS::EC2::SecurityGroup |");
    assertThat(changeSets(APP)).isEmpty();
    assertThat(ingressOf("WebSecurityGroup")).as("nothing executed").hasSize(2);
  }

  @Test
  void aTemplateViolatingThePolicyIsRefusedBeforeAnyCall() throws IOException {
    Path repo = Path.of(System.getProperty("repo.root"));
    Path templates = Files.createDirectories(dir.resolve("cloudformation"));
    for (String file : List.of("bootstrap.yaml", "bootstrap-local.json", "stack-local.json")) {
      Files.copy(repo.resolve("cloudformation").resolve(file), templates.resolve(file));
    }
    String stack = Files.readString(repo.resolve("cloudformation/stack.yaml"));
    assertThat(stack).contains("CidrIp: 104.154.0.0/15");
    Files.writeString(templates.resolve("stack.yaml"), stack.replace("CidrIp: 104.154.0.0/15", "CidrIp: 0.0.0.0/0"));

    // cfn-guard alone: it is the check under test, and cfn-lint would only add a slow pass of bootstrap.yaml.
    Run run = deploy(templates, true, List.of(new GuardCheck(Tools.cache().cfnGuard(), repo.resolve("guard-rules"))));
    assertThat(run.error()).hasMessageContaining("stack.yaml fails").hasMessageContaining("nothing was sent to AWS");
    assertThat(run.output()).contains("resource WebSecurityGroup violates", "SG_INGRESS_POLICY", "[FIX]");
    assertThat(proxy.requests()).isZero();
  }

  /**
   * A role that may not set termination protection (bootstrap.yaml's DeployRole may set it on the app stack only) is
   * refused with AccessDenied: each stack it creates is asked, with protection on, and the refusal is a warning.
   * The proxy answers for moto, which does not implement UpdateTerminationProtection: its HTTP 500 is retried by the
   * SDK until the 25 s call limit, which would test the SDK's patience rather than the deployer.
   */
  @Test
  void terminationProtectionTheRoleMayNotSetIsAWarningNotAFailure() throws IOException {
    proxy.refuse(PROTECT, FaultProxy.Fault.accessDenied(PROTECT));
    Run run = deploy(templates("stack.yaml"), true, List.of(), true);
    assertThat(run.error()).isNull();
    assertThat(run.output()).contains("Stack hello-host is CREATE_COMPLETE",
        "WARNING: termination protection not enabled on stack hello-host (the endpoint refused: User: "
            + "arn:aws:sts::123456789012:assumed-role/fault-proxy/test is not authorized to perform: "
            + "cloudformation:UpdateTerminationProtection");
    // None retried by the SDK; the bootstrap stack, still unprotected, is asked again before its second step.
    assertThat(protectionsAsked()).as("UpdateTerminationProtection calls")
        .containsExactly(BOOTSTRAP + " true", BOOTSTRAP + " true", APP + " true");
  }

  @Test
  void eachBadInputIsOneLineNamingItAndNothingReachesAws() throws IOException {
    Path templates = templates("stack.yaml");
    Path parameters = templates.resolve("stack-local.json");
    Files.delete(parameters);
    assertThat(refusal(templates)).isEqualTo("parameter file not found: " + parameters
        + " (every environment has one; [] for no parameters): nothing was sent to AWS");

    Files.writeString(parameters, "[{\"ParameterKey\": \"Environment\", \"ParameterValue\": \"prod \"}]");
    assertThat(refusal(templates)).isEqualTo(parameters + ": parameter Environment = \"prod \" is not one of"
        + " AllowedValues [local, prod] (declared in stack.yaml): nothing was sent to AWS");

    Files.writeString(parameters, "[{\"ParameterKey\": \"Environment\", \"ParameterValue\": \"local\"},\n"
        + " {\"ParameterKey\": \"Environment\" \"ParameterValue\": \"local\"}]");
    assertThat(refusal(templates)).isEqualTo(parameters + ":2:33: invalid YAML: expected ',' or '}', but got <scalar>"
        + " (while parsing a flow mapping)");

    copy("stack-local.json", parameters);
    Path stack = templates.resolve("stack.yaml");
    Files.writeString(stack, Files.readString(stack).replace("    Type: AWS::EC2::EIP\n", "    Type: AWS::EC2::EIP\n"
        + "   Broken: indentation\n"));
    assertThat(refusal(templates)).isEqualTo(stack + ":29:4: invalid YAML: expected <block end>, but found"
        + " '<block mapping start>' (while parsing a block mapping)");

    copy("stack.yaml", stack);

    Path bootstrap = templates.resolve("bootstrap.yaml");
    Files.writeString(bootstrap, Files.readString(bootstrap) + padding(Template.INLINE_LIMIT));
    assertThat(refusal(templates)).startsWith(bootstrap + " is ")
        .endsWith(" bytes, over CloudFormation's 51200-byte limit for an inline template; it creates the artifact"
            + " bucket that larger templates are uploaded to, so it must stay under the limit: nothing was sent to AWS");

    assertThat(proxy.requests()).as("calls that reached the endpoint").isZero();
  }

  @Test
  void aTemplateOverTheInlineLimitIsDeployedFromTheArtifactBucket() throws IOException {
    Path templates = templates("stack.yaml");
    Path stack = templates.resolve("stack.yaml");
    Files.writeString(stack, Files.readString(stack) + padding(Template.INLINE_LIMIT));
    Run run = deploy(templates, true, List.of());
    assertThat(run.error()).isNull();
    String bucket = physicalId(BOOTSTRAP, "ArtifactBucket");
    assertThat(run.output())
        .containsPattern("stack.yaml is 5\\d{4} bytes, over the 51200-byte limit for an inline template: uploaded to"
            + " s3://" + bucket + "/templates/[0-9a-f]{64}\\.yaml")
        .containsPattern("Creating CREATE change set \\S+ for stack hello-host from \\S+stack.yaml \\(by TemplateURL"
            + " https://s3\\.[a-z0-9-]+\\.amazonaws\\.com/" + bucket + "/templates/[0-9a-f]{64}\\.yaml\\)")
        .contains("Stack hello-host is CREATE_COMPLETE");
    try (S3Client s3 = direct.s3()) {
      assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("templates/")).contents()).hasSize(1);
    }
    Run again = deploy(templates, true, List.of());
    assertThat(again.error()).isNull();
    assertThat(again.output()).contains("already in s3://" + bucket + "/templates/", "No changes to stack hello-host.");
  }

  @Test
  void aHungEndpointFailsInOneLineNamingIt() throws Exception {
    try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(hung.accept()); // accepted, never read from or answered
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      acceptor.start();
      URI endpoint = URI.create("http://127.0.0.1:" + hung.getLocalPort());
      Instant start = Instant.now();
      Run run = deploy(templates("stack.yaml"), true, List.of(), false, () -> EmulatorApi.at(endpoint));
      System.out.printf("hung endpoint: failed after %d ms, %d connections%n",
          Duration.between(start, Instant.now()).toMillis(), accepted.size());
      assertThat(run.error()).hasMessage("no answer from " + endpoint + " within 25 s (it accepts connections but"
          + " does not respond): check the endpoint");
      assertThat(accepted).isNotEmpty();
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  @Test
  void aChangeSetOfAnotherRunInFlightMakesTheDeployRefuseAndTouchNothing() throws IOException {
    Path templates = templates("stack.yaml");
    assertThat(deploy(templates, true, List.of()).error()).isNull();
    String otherRun = otherRunsChangeSet();

    Run refused = deploy(templates, true, List.of());
    assertThat(refused.error().getMessage()).matches("stack hello-host is held by another deploy: change set "
        + otherRun + " \\(CREATE_COMPLETE/AVAILABLE, created \\S+, \\d+ s ago, another run\\); nothing was changed:"
        + " deploy again when that run has finished");
    assertThat(refused.output()).doesNotContainPattern("change set \\S+ for stack hello-host from");
    assertThat(changeSets(APP)).containsExactly(otherRun + " AVAILABLE");
    assertThat(stackNames()).containsExactlyInAnyOrder(BOOTSTRAP, APP);
  }

  /**
   * Two first deploys race: both find no bootstrap stack and make a CREATE change set, one executes first. AWS then
   * deletes the other change set ("When you execute a change set, CloudFormation deletes all other change sets
   * associated with the stack", ExecuteChangeSet); moto keeps it listed AVAILABLE, on a placeholder stack of its own.
   * The winner's next change set on that stack (the Guard Hook's update) must not take it for a run in flight, or
   * both runs refuse: the loser because its change set is obsolete, the winner because of it.
   */
  @Test
  void aCreateChangeSetThatLostTheRaceHoldsNothing() throws IOException {
    Path templates = templates("stack.yaml");
    assertThat(deploy(templates, true, List.of()).error()).isNull();
    String lost = otherRunsChangeSet(BOOTSTRAP, "CREATE", "hello-host deploy");

    Run run = deploy(templates, true, List.of());
    assertThat(run.error()).as(run.output()).isNull();
    assertThat(run.output()).doesNotContain(lost);
  }

  /**
   * Another run's first deploy between its two bootstrap steps: its stack exists without the Guard Hook's rules and
   * none of its change sets is pending. This run refuses before changing anything; once the wait limit has passed
   * since the stack's creation (a run stopped between its steps), it goes on.
   */
  @Test
  void aBootstrapStackStillWithoutItsRulesIsAnotherRunBetweenItsSteps() throws Exception {
    Path templates = templates("stack.yaml");
    String bootstrap = Files.readString(templates.resolve("bootstrap.yaml"));
    try (CloudFormationClient cfn = direct.cloudFormation()) {
      cfn.createStack(r -> r.stackName(BOOTSTRAP).templateBody(bootstrap));
    }

    Run refused = deploy(templates, true, List.of());
    assertThat(refused.error()).as(refused.output()).isNotNull();
    assertThat(refused.error().getMessage()).matches("stack hello-host-bootstrap is held by another deploy: created"
        + " \\d+ s ago without the Guard Hook's rules, which that run adds next; nothing was changed: deploy again"
        + " when that run has finished");
    assertThat(stackNames()).containsExactly(BOOTSTRAP);
    assertThat(changeSets(BOOTSTRAP)).isEmpty();

    Thread.sleep(1500);
    Run later = deploy(templates, true, List.of(), false, Duration.ofSeconds(1),
        () -> EmulatorApi.at(proxy.endpoint()));
    assertThat(later.error()).as(later.output()).isNull();
  }

  @Test
  void aChangeSetOlderThanTheWaitLimitIsAnAbandonedRunNotALock() throws Exception {
    Path templates = templates("stack.yaml");
    assertThat(deploy(templates, true, List.of()).error()).isNull();
    String abandoned = otherRunsChangeSet();
    Thread.sleep(1500);

    Run run = deploy(templates, true, List.of(), false, Duration.ofSeconds(1),
        () -> EmulatorApi.at(proxy.endpoint()));
    assertThat(run.error()).isNull();
    assertThat(run.output()).contains("Ignoring change set " + abandoned + " of stack hello-host: pending since ",
        "older than the 1 s wait limit (an abandoned run).");
    assertThat(changeSets(APP)).containsExactly(abandoned + " AVAILABLE");
  }

  @Test
  void aStackBusyWithAnotherOperationIsRefusedNotWaitedFor() throws IOException {
    Path templates = templates("stack.yaml");
    assertThat(deploy(templates, true, List.of()).error()).isNull();
    // moto finishes every operation at once, so the proxy reports the state of a stack that another run updates.
    proxy.rewriteDescribeStacksUntilDelete(body -> body.contains("<StackName>hello-host</StackName>")
        ? body.replace("<StackStatus>CREATE_COMPLETE</StackStatus>", "<StackStatus>UPDATE_IN_PROGRESS</StackStatus>")
        : body);

    Run run = deploy(templates, true, List.of());
    assertThat(run.error()).hasMessageStartingWith("stack hello-host is UPDATE_IN_PROGRESS, held by an operation not"
        + " started by a change set: wait for it to finish (aws cloudformation describe-stack-events --stack-name"
        + " hello-host --region ");
    assertThat(stackNames()).containsExactlyInAnyOrder(BOOTSTRAP, APP);
  }

  @Test
  void anUnprotectedStackIsProtectedOnTheNextDeployWhateverItsHistory() throws IOException {
    Path templates = templates("stack.yaml");
    assertThat(deploy(templates, true, List.of()).error()).isNull();
    // moto reports every stack unprotected and does not implement UpdateTerminationProtection (the proxy refuses it,
    // as above): the attempt shows, and the refusal stops nothing.
    proxy.refuse(PROTECT, FaultProxy.Fault.accessDenied(PROTECT));
    Run run = deploy(templates, true, List.of(), true);
    assertThat(run.error()).isNull();
    assertThat(run.output()).contains("Stack hello-host has no termination protection: enabling it.",
        "WARNING: termination protection not enabled on stack hello-host", "No changes to stack hello-host.");
    assertThat(protectionsAsked()).as("UpdateTerminationProtection calls").endsWith(APP + " true");
  }

  @Test
  void aReviewsChangeSetBlocksNoDeploy() throws IOException {
    Path templates = templates("stack.yaml");
    assertThat(deploy(templates, true, List.of()).error()).isNull();
    String review = otherRunsChangeSet("hello-host review in https://circleci.com/gh/example/1");
    addSshRule(templates);

    Run run = deploy(templates, true, List.of());
    assertThat(run.error()).isNull();
    assertThat(run.output()).contains("Stack hello-host is UPDATE_COMPLETE");
    assertThat(changeSets(APP)).contains(review + " AVAILABLE");
  }

  /**
   * A rule opened through the EC2 API, as a console user would: the next review lists it as kept (nothing in the
   * templates changed, and an ordinary change set compares templates); a review of a change that rewrites the group's
   * rules says it may go; another rule opened after that review changes the digest, so a deploy approved before it
   * stops; and reverting drift is refused on moto, before any call.
   */
  @Test
  void aRuleAddedByHandIsShownKeptOrMaybeRevertedAndCoveredByTheDigest() throws IOException {
    Path templates = templates("stack.yaml");
    assertThat(deploy(templates, true, List.of()).error()).isNull();
    String group = physicalId(APP, "WebSecurityGroup");
    String rule = openByHand(group, 8080);

    Run review = deploy(templates, false, List.of());
    assertThat(review.error()).as(review.output()).isNull();
    String kept = "kept by this deploy: WebSecurityGroup: ingress tcp 8080 from 0.0.0.0/0 added by hand [" + rule
        + "]; the change set does not change WebSecurityGroup's SecurityGroupIngress: an ordinary change set"
        + " compares the templates, not the live state (--revert-drift reverts it on AWS)";
    assertThat(review.output()).contains("Hand-made changes (1):\n    " + kept);
    String markdown = Files.readString(dir.resolve("review.md"));
    assertThat(markdown).contains("Hand-made changes: 1 kept by this deploy.", "### Stack `hello-host`\n\nNo"
        + " changes.\n\nHand-made changes (1):\n\n- **kept by this deploy**: `WebSecurityGroup`: ingress tcp 8080"
        + " from 0.0.0.0/0 added by hand [" + rule + "];",
        "Not compared: CloudFormation's drift detection was not run: the endpoint " + proxy.endpoint()
            + " does not support drift detection (moto 5.2.1 does not implement DetectStackDrift)");
    assertThat(Files.readString(dir.resolve("review-comment.md"))).isEqualTo(markdown);
    assertThat(proxy.calls("DetectStackDrift")).as("moto is not asked for what it has not").isZero();

    addSshRule(templates);
    Run rewrite = deploy(templates, false, List.of());
    assertThat(rewrite.error()).as(rewrite.output()).isNull();
    assertThat(Files.readString(dir.resolve("review.md"))).contains("- **may be reverted by this deploy**:"
        + " `WebSecurityGroup`: ingress tcp 8080 from 0.0.0.0/0 added by hand [" + rule + "]; the change set sets"
        + " WebSecurityGroup's SecurityGroupIngress anew");
    ReviewedDigests reviewed = ReviewedDigests.parse(Files.readString(dir.resolve("review-digests.txt")).trim());

    openByHand(group, 9090);
    Run stale = deploy(templates, true, List.of(), false, false, reviewed);
    assertThat(stale.stopped()).as(stale.output()).isTrue();
    assertThat(stale.output()).contains("NOT EXECUTED: change set", "ingress tcp 9090 from 0.0.0.0/0 added by hand");
    assertThat(ingressOf("WebSecurityGroup")).as("nothing executed").hasSize(4);

    proxy.reset();
    Run revert = deploy(templates, true, List.of(), false, false, null, DriftChoice.REVERT);
    assertThat(revert.error()).hasMessage("cannot revert drift: the endpoint " + proxy.endpoint() + " cannot make a"
        + " drift-aware change set (moto 5.2.1 ignores DeploymentMode REVERT_DRIFT and has no drift detection):"
        + " nothing was changed; revert drift on AWS");
    assertThat(proxy.requests()).as("calls that reached the endpoint").isZero();
  }

  /**
   * The drift-aware change set as the SDK sends it: the engine, with no emulator quirks (as on AWS), asks moto through
   * the proxy for an update's change set with {@code DeploymentMode=REVERT_DRIFT} (moto ignores it and answers as for
   * any change set), and never for a new stack's, which has nothing to revert.
   */
  @Test
  void theDriftAwareChangeSetIsRequestedAsTheSdkSendsIt() throws IOException {
    Path one = dir.resolve("one.yaml");
    Path two = dir.resolve("two.yaml");
    Files.writeString(one, "Resources:\n  Ip:\n    Type: AWS::EC2::EIP\n");
    Files.writeString(two, "Resources:\n  Ip:\n    Type: AWS::EC2::EIP\n  Other:\n    Type: AWS::EC2::EIP\n");
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text, true);
    try (Connection connection = EmulatorApi.at(proxy.endpoint()).connection();
        RunLease lease = new RunLease(connection.clients().cloudFormation(), out,
            new RunId("drift-aware-" + RUNS.incrementAndGet(), ""), true, Duration.ofMinutes(2),
            EmulatorQuirks.NONE)) {
      StackDeployer.Options options = new StackDeployer.Options(Mode.DEPLOY, Duration.ofMinutes(2), false,
          ReviewedDigests.ANY, true);
      StackDeployer engine = new StackDeployer(connection.clients().cloudFormation(), out, options, lease,
          EmulatorQuirks.NONE, ImpactText::console);
      Assessor assessor = (newStack, template, parameters, changes, driftAware) -> new Assessment(
          Tools.analysis("us-east-1").of(null, null, template.tree(), parameters, changes), List.of(), List.of());
      assertThat(engine.deploy("drift-aware", Template.load(one), null, Map.of(), stack -> assessor).deployed())
          .isTrue();
      assertThat(engine.reviewOnly().deploy("drift-aware", Template.load(two), null, Map.of(), stack -> assessor)
          .kind()).isEqualTo(StackResult.Kind.REVIEWED);
    }
    List<String> requests = proxy.requests("CreateChangeSet");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0)).contains("ChangeSetType=CREATE").doesNotContain("DeploymentMode");
    assertThat(requests.get(1)).contains("Action=CreateChangeSet", "ChangeSetType=UPDATE",
        "&DeploymentMode=REVERT_DRIFT");
    assertThat(text.toString()).contains("Creating UPDATE drift-aware change set");
    assertThat(changeSets("drift-aware")).as("the review's change set is deleted").isEmpty();
  }

  /** Opens {@code port} to the internet on {@code group} over the EC2 API; returns the rule's id. */
  private String openByHand(String group, int port) {
    try (Ec2Client ec2 = ec2()) {
      return ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(p -> p.ipProtocol("tcp")
          .fromPort(port).toPort(port).ipRanges(c -> c.cidrIp("0.0.0.0/0")))).securityGroupRules().get(0)
          .securityGroupRuleId();
    }
  }

  /** A pending change set on the app stack made by someone else, as another deployer run would leave it. */
  private String otherRunsChangeSet() {
    return otherRunsChangeSet("another run");
  }

  private String otherRunsChangeSet(String description) {
    return otherRunsChangeSet(APP, "UPDATE", description);
  }

  private String otherRunsChangeSet(String stack, String type, String description) {
    String name = "hello-host-other-run-" + RUNS.incrementAndGet();
    try (CloudFormationClient cfn = direct.cloudFormation()) {
      cfn.createChangeSet(r -> r.stackName(stack).changeSetName(name).changeSetType(type)
          .usePreviousTemplate(false).templateBody("Resources:\n  Ip:\n    Type: AWS::EC2::EIP\n")
          .description(description));
    }
    return name;
  }

  private String refusal(Path templates) throws IOException {
    Run run = deploy(templates, true, List.of());
    assertThat(run.error()).as(run.output()).isNotNull();
    assertThat(run.error().getMessage()).doesNotContain("\n");
    return run.error().getMessage();
  }

  /** A change to the app stack: the policy's SSH rule added to the security group. */
  private static void addSshRule(Path templates) throws IOException {
    Path stack = templates.resolve("stack.yaml");
    Files.writeString(stack, Files.readString(stack).replace("CidrIp: 0.0.0.0/0}\n  ElasticIp",
        "CidrIp: 0.0.0.0/0}\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 104.154.0.0/15}\n"
            + "  ElasticIp"));
  }

  /** YAML comment lines that take a template past {@code bytes}. */
  private static String padding(int bytes) {
    return ("# padding to take the template past CloudFormation's inline limit\n").repeat(bytes / 60 + 1);
  }

  @Test
  void aNewImagePublishedBetweenDeploysChangesNothingUntilARefresh() throws IOException {
    Path templates = templates("host-stack.yaml");
    Files.writeString(templates.resolve("stack-local.json"), "[]");
    publishImage("ami-0aaaaaaaaaaaaaaa1");
    assertThat(deploy(templates, true, List.of()).error()).isNull();
    String instance = physicalId(APP, "WebServer");

    publishImage("ami-0bbbbbbbbbbbbbbb2");
    Files.writeString(appJar(), "the next build of the app");
    Run appOnly = deploy(templates, true, List.of());
    assertThat(appOnly.error()).isNull();
    assertThat(appOnly.output()).contains("Image ImageId = ami-0aaaaaaaaaaaaaaa1 (kept: the image the stack runs");
    assertThat(stackParameter("ImageId")).isEqualTo("ami-0aaaaaaaaaaaaaaa1");
    assertThat(stackParameter("ArtifactKey")).isEqualTo(ArtifactStore.keyFor(appJar()));
    assertThat(physicalId(APP, "WebServer")).isEqualTo(instance);
    assertThat(imageOf(instance)).isEqualTo("ami-0aaaaaaaaaaaaaaa1");

    Run refreshReview = deploy(templates, false, List.of(), false, true, null);
    assertThat(refreshReview.error()).isNull();
    assertThat(Files.readString(dir.resolve("review.md"))).contains("- Image ImageId = ami-0bbbbbbbbbbbbbbb2"
        + " (refreshed: latest from SSM /hello-host-test/latest-image, was ami-0aaaaaaaaaaaaaaa1)");
    assertThat(stackParameter("ImageId")).as("a review executes nothing").isEqualTo("ami-0aaaaaaaaaaaaaaa1");

    Run refresh = deploy(templates, true, List.of(), false, true, null);
    assertThat(stackParameter("ImageId")).isEqualTo("ami-0bbbbbbbbbbbbbbb2");
    // moto 5.2.1 cannot replace an instance in an update: it drops WebServer from the stack's resources. The
    // deployer's final host check must then fail the deploy loudly, not claim a running host.
    assertThat(refresh.error()).as(refresh.output()).hasMessageContaining("ended without an instance among its"
        + " resources").hasMessageContaining("the host is down");
  }

  @Test
  void aChangeSetOtherThanTheReviewedOneIsNotExecutedAndTheReviewedOneIs() throws IOException {
    Path templates = templates("stack.yaml");
    assertThat(deploy(templates, true, List.of()).error()).isNull();
    String sshRule = "CidrIp: 0.0.0.0/0}\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 104.154.0.0/15}\n";
    String original = Files.readString(templates.resolve("stack.yaml"));
    Files.writeString(templates.resolve("stack.yaml"), original.replace("CidrIp: 0.0.0.0/0}\n  ElasticIp",
        sshRule + "  ElasticIp"));
    assertThat(deploy(templates, false, List.of()).error()).isNull();
    ReviewedDigests reviewed = ReviewedDigests.parse(Files.readString(dir.resolve("review-digests.txt")).trim());
    assertThat(reviewed.asMap()).containsOnlyKeys(APP);
    assertThat(Files.readString(dir.resolve("review.md")))
        .contains("<!-- hello-host-digests: hello-host=" + reviewed.asMap().get(APP) + " -->");

    // What master would deploy differs from the review: one more opening than was shown.
    Files.writeString(templates.resolve("stack.yaml"), original.replace("CidrIp: 0.0.0.0/0}\n  ElasticIp",
        sshRule + "        - {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 104.154.0.0/15}\n  ElasticIp"));
    Run unseen = deploy(templates, true, List.of(), false, false, reviewed);
    assertThat(unseen.stopped()).as(unseen.output()).isTrue();
    assertThat(unseen.output()).contains("NOT EXECUTED: change set").doesNotContain("Executing");
    assertThat(ingressOf("WebSecurityGroup")).as("nothing executed").hasSize(2);
    assertThat(changeSets(APP)).isEmpty();
    String newReview = Files.readString(dir.resolve("review-digests.txt")).trim();
    assertThat(newReview).isNotEqualTo("hello-host=" + reviewed.asMap().get(APP));
    assertThat(Files.readString(dir.resolve("review.md"))).contains("**Not executed**", "| Modify | WebSecurityGroup");

    // Approved: the deploy runs again with the digest of the review it stopped with, and executes.
    Run approved = deploy(templates, true, List.of(), false, false, ReviewedDigests.parse(newReview));
    assertThat(approved.error()).isNull();
    assertThat(approved.output()).contains("Executing change set");
    assertThat(ingressOf("WebSecurityGroup")).hasSize(4);
  }

  @Test
  void theFirstReviewCreatesNothingAndItsDigestIsTheCreateChangeSets() throws IOException {
    Path templates = templates("stack.yaml");
    assertThat(deploy(templates, false, List.of()).error()).isNull();
    assertThat(stackNames()).isEmpty();
    assertThat(proxy.calls("CreateChangeSet")).isZero();
    ReviewedDigests reviewed = ReviewedDigests.parse(Files.readString(dir.resolve("review-digests.txt")).trim());
    assertThat(reviewed.asMap()).containsOnlyKeys(BOOTSTRAP);

    Run run = deploy(templates, true, List.of(), false, false, reviewed);
    assertThat(run.output()).contains("Stack hello-host-bootstrap is CREATE_COMPLETE");
    assertThat(run.stopped()).as("the app stack was never reviewed").isTrue();
    assertThat(stackNames()).containsExactly(BOOTSTRAP);
  }

  private void publishImage(String imageId) {
    try (SsmClient ssm = direct.ssm()) {
      ssm.putParameter(r -> r.name("/hello-host-test/latest-image").type("String").value(imageId).overwrite(true));
    }
  }

  private String stackParameter(String key) {
    try (CloudFormationClient cfn = direct.cloudFormation()) {
      return cfn.describeStacks(r -> r.stackName(APP)).stacks().get(0).parameters().stream()
          .filter(p -> p.parameterKey().equals(key)).findFirst().orElseThrow().parameterValue();
    }
  }

  private String imageOf(String instanceId) {
    try (Ec2Client ec2 = ec2()) {
      return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0).imageId();
    }
  }

  /** Each UpdateTerminationProtection call that reached the proxy: the stack's name and the value asked for. */
  private List<String> protectionsAsked() {
    return proxy.requests(PROTECT).stream()
        .map(body -> parameter(body, "StackName") + " " + parameter(body, "EnableTerminationProtection")).toList();
  }

  /** One parameter of a query-protocol request body as the SDK sent it (form-encoded). */
  private static String parameter(String body, String name) {
    return body.replaceAll(".*(?:^|&)" + name + "=([^&]*).*", "$1");
  }

  private Run deploy(Path templates, boolean execute, List<TemplateCheck> checks) throws IOException {
    return deploy(templates, execute, checks, false);
  }

  private Run deploy(Path templates, boolean execute, List<TemplateCheck> checks, boolean protect)
      throws IOException {
    return deploy(templates, execute, checks, protect, false, null);
  }

  private Run deploy(Path templates, boolean execute, List<TemplateCheck> checks, boolean protect,
      boolean refreshImage, ReviewedDigests reviewedDigests) throws IOException {
    return deploy(templates, execute, checks, protect, refreshImage, reviewedDigests, DriftChoice.KEEP);
  }

  private Run deploy(Path templates, boolean execute, List<TemplateCheck> checks, boolean protect,
      boolean refreshImage, ReviewedDigests reviewedDigests, DriftChoice drift) throws IOException {
    return deploy(templates, execute, checks, protect, refreshImage, reviewedDigests, Duration.ofMinutes(2),
        () -> EmulatorApi.at(proxy.endpoint()), drift);
  }

  private Run deploy(Path templates, boolean execute, List<TemplateCheck> checks, boolean protect,
      Supplier<EmulatorApi> target) throws IOException {
    return deploy(templates, execute, checks, protect, Duration.ofMinutes(2), target);
  }

  private Run deploy(Path templates, boolean execute, List<TemplateCheck> checks, boolean protect,
      Duration waitLimit, Supplier<EmulatorApi> target) throws IOException {
    return deploy(templates, execute, checks, protect, false, null, waitLimit, target, DriftChoice.KEEP);
  }

  private Run deploy(Path templates, boolean execute, List<TemplateCheck> checks, boolean protect,
      boolean refreshImage, ReviewedDigests reviewedDigests, Duration waitLimit, Supplier<EmulatorApi> target,
      DriftChoice drift) throws IOException {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text, true);
    DeploySettings settings = DeploySettings.builder(new Sources(templates, rules, appJar()),
            Destination.local(target.get().endpoint()), new RunId("test-run-" + RUNS.incrementAndGet(), ""))
        .mode(execute ? Mode.DEPLOY : Mode.REVIEW)
        .safeguards(protect ? Set.of(Safeguard.TERMINATION_PROTECTION) : Set.of())
        .image(refreshImage ? ImageChoice.REFRESH : ImageChoice.KEEP)
        .reviewed(reviewedDigests == null ? ReviewedDigests.ANY : reviewedDigests)
        .drift(drift)
        .waitLimit(waitLimit)
        .reviewFile(dir.resolve("review.md"))
        .build();
    try {
      DeployOutcome outcome = new Deployment(settings, new TemplateChecks(checks), ImpactText::console,
          Tools::analysis, out).run(() -> target.get().connection());
      ReviewMarkdown.write(outcome); // as the library's entry point does
      return new Run(text.toString(), null, outcome);
    } catch (DeployException e) {
      return new Run(text.toString(), e, null);
    }
  }

  private Map<String, String> bootstrapParameters() {
    try (CloudFormationClient cfn = direct.cloudFormation()) {
      return cfn.describeStacks(r -> r.stackName(BOOTSTRAP)).stacks().get(0).parameters().stream()
          .collect(Collectors.toMap(p -> p.parameterKey(), p -> p.parameterValue()));
    }
  }

  private List<String> ruleVersions(String key) {
    String bucket = physicalId(BOOTSTRAP, "ArtifactBucket");
    try (S3Client s3 = direct.s3()) {
      return s3.listObjectVersions(r -> r.bucket(bucket).prefix(key)).versions().stream()
          .map(v -> v.versionId()).toList();
    }
  }

  /** File name to content of the .guard files in the bundle's pinned version. */
  private Map<String, String> bundledRules(String key, String version) throws IOException {
    String bucket = physicalId(BOOTSTRAP, "ArtifactBucket");
    Map<String, String> files = new TreeMap<>();
    try (S3Client s3 = direct.s3();
        ZipInputStream zip = new ZipInputStream(s3.getObject(r -> r.bucket(bucket).key(key).versionId(version)))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        files.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return files;
  }

  private static Map<String, String> guardFiles(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path f : list.filter(f -> f.toString().endsWith(".guard")).toList()) {
        files.put(f.getFileName().toString(), Files.readString(f));
      }
    }
    return files;
  }

  private Path appJar() throws IOException {
    Path jar = dir.resolve("app.jar");
    if (!Files.exists(jar)) {
      Files.writeString(jar, "not really a jar, but bytes with a digest");
    }
    return jar;
  }

  private Path templates(String stack) throws IOException {
    Path target = Files.createDirectories(dir.resolve("cloudformation"));
    copy("bootstrap.yaml", target.resolve("bootstrap.yaml"));
    copy("bootstrap-local.json", target.resolve("bootstrap-local.json"));
    copy("stack-local.json", target.resolve("stack-local.json"));
    copy(stack, target.resolve("stack.yaml"));
    return target;
  }

  private static void copy(String resource, Path to) throws IOException {
    try (InputStream in = DeploymentMotoTest.class.getResourceAsStream("/templates/" + resource)) {
      Files.write(to, in.readAllBytes());
    }
  }

  private Set<String> ingressOf(String logicalId) {
    String groupId = physicalId(APP, logicalId);
    try (Ec2Client ec2 = ec2()) {
      List<IpPermission> rules = ec2.describeSecurityGroups(r -> r.groupIds(groupId)).securityGroups().get(0)
          .ipPermissions();
      return rules.stream().flatMap(p -> p.ipRanges().stream()
              .map(range -> p.ipProtocol() + " " + p.fromPort() + "-" + p.toPort() + " " + range.cidrIp()))
          .collect(Collectors.toSet());
    }
  }

  private Ec2Client ec2() {
    return direct.ec2();
  }

  private String physicalId(String stack, String logicalId) {
    try (CloudFormationClient cfn = direct.cloudFormation()) {
      return cfn.describeStackResource(r -> r.stackName(stack).logicalResourceId(logicalId))
          .stackResourceDetail().physicalResourceId();
    }
  }

  private String stackId(String stack) {
    try (CloudFormationClient cfn = direct.cloudFormation()) {
      return cfn.describeStacks(r -> r.stackName(stack)).stacks().get(0).stackId();
    }
  }

  private List<String> stackNames() {
    try (CloudFormationClient cfn = direct.cloudFormation()) {
      return cfn.describeStacks().stacks().stream().map(s -> s.stackName()).toList();
    }
  }

  private List<String> changeSets(String stack) {
    try (CloudFormationClient cfn = direct.cloudFormation()) {
      return cfn.listChangeSets(r -> r.stackName(stack)).summaries().stream()
          .map(s -> s.changeSetName() + " " + s.executionStatusAsString()).toList();
    }
  }

  /**
   * Deploys both stacks, then has the proxy report the app stack as ROLLBACK_COMPLETE until it is deleted: moto never
   * fails a create, so this is the state a failed first create leaves on AWS. Returns the app stack's id.
   */
  private String deployedThenSeenRollbackComplete(Path templates) throws IOException {
    assertThat(deploy(templates, true, List.of()).error()).isNull();
    String id = stackId(APP);
    proxy.rewriteDescribeStacksUntilDelete(body -> body.contains("<StackName>hello-host</StackName>")
        ? body.replace("<StackStatus>CREATE_COMPLETE</StackStatus>", "<StackStatus>ROLLBACK_COMPLETE</StackStatus>")
        : body);
    return id;
  }
}
