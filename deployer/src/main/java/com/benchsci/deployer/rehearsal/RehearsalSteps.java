package com.benchsci.deployer.rehearsal;

import com.benchsci.deployer.core.AwsClients;
import com.benchsci.deployer.core.Backoff;
import com.benchsci.deployer.core.ContentHash;
import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.DeploySettings;
import com.benchsci.deployer.core.ProductStack;
import com.benchsci.deployer.core.RunId;
import com.benchsci.deployer.core.Sources;
import com.benchsci.deployer.deploy.ArtifactStore;
import com.benchsci.deployer.deploy.Connection;
import com.benchsci.deployer.deploy.DeployOutcome;
import com.benchsci.deployer.deploy.Deployment;
import com.benchsci.deployer.deploy.HttpCheck;
import com.benchsci.deployer.live.AuditOutcome;
import com.benchsci.deployer.live.DriftOutcome;
import com.benchsci.deployer.live.FirewallAudit;
import com.benchsci.deployer.live.HostCheck;
import com.benchsci.deployer.live.LiveFirewall;
import com.benchsci.deployer.live.StackDrift;
import com.benchsci.deployer.stack.EmulatorQuirks;
import com.benchsci.deployer.stack.EmulatorQuirks.Capability;
import com.benchsci.deployer.template.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDriftStatus;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * The rehearsal's steps in order, with what they learn on the way (the host, the second jar, the port opened by hand):
 * each runs through the {@link Rehearsal}, which records its row and holds it still once a signal came. A step the
 * endpoint cannot do at all (its quirks say why) is not possible; one whose prerequisite did not pass is not run.
 */
final class RehearsalSteps {

  private static final Duration HTTP_LIMIT = Duration.ofMinutes(5);
  /** The CA is asked a minute after boot (hello-acme.timer); until it issues, the certificate is self-signed. */
  private static final Duration HTTPS_LIMIT = Duration.ofMinutes(10);
  /** cfn-hup's interval (1 min), cfn-init, the new slot's AOT training and start, with room on a t4g.nano. */
  private static final Duration ROLLOUT_LIMIT = Duration.ofMinutes(10);
  /** Load kept on after the switch, while the old slot drains. */
  private static final Duration DRAIN = Duration.ofSeconds(20);
  private static final String SG_INGRESS_POLICY = "SG_INGRESS_POLICY";

  private final Rehearsal rehearsal;
  private final RehearsalSettings settings;
  private final RehearsalId id;
  private final AwsClients aws;
  private final EmulatorQuirks quirks;
  private final Supplier<Connection> connect;
  private final FirewallAudit.Policy policy;
  /** A deploy of both stacks through the deployer's own orchestration, for the settings of one run. */
  private final Function<DeploySettings, Deployment> deployments;
  private final PrintWriter out;
  private final Template app;
  private String instanceId;
  private String publicIp;
  private String securityGroupId;
  private String openedGroup;
  private String openedRule;
  /** Requests from outside, from before the second jar's deploy until its rollout ended. */
  private OutsideLoad load;
  private String newJarSha;

  RehearsalSteps(Rehearsal rehearsal, RehearsalSettings settings, AwsClients aws, EmulatorQuirks quirks,
      Supplier<Connection> connect, FirewallAudit.Policy policy, Function<DeploySettings, Deployment> deployments, PrintWriter out) {
    this.rehearsal = rehearsal;
    this.settings = settings;
    this.id = settings.id();
    this.aws = aws;
    this.quirks = quirks;
    this.connect = connect;
    this.policy = policy;
    this.deployments = deployments;
    this.out = out;
    this.app = Template.load(settings.sources().template(ProductStack.APP));
  }

  void all() {
    StepResult created = rehearsal.step(Step.CREATE, this::create);
    if (!created.passed()) {
      for (Step later : Step.values()) {
        if (later != Step.CREATE && later != Step.CLEANUP) {
          rehearsal.record(StepResult.notRun(later, "needs step 1, which " + created.status().label()));
        }
      }
      return;
    }
    rehearsal.step(Step.GREETING, this::greeting);
    newJarAndRollout();
    rehearsal.step(Step.AUDIT_PASSES, this::auditPasses);
    rehearsal.step(Step.PORT_OPENED, this::openPort);
    rehearsal.step(Step.HOOK_REFUSES, this::hookRefuses);
    rehearsal.step(Step.DRIFT, this::drift);
    if (openedRule != null) {
      rehearsal.step(Step.PORT_CLOSED, this::closePort);
    } else {
      rehearsal.record(StepResult.notRun(Step.PORT_CLOSED, "needs step 6, which opened no port"));
    }
    StepResult terminated = rehearsal.step(Step.TERMINATED, this::terminate);
    if (terminated.passed()) {
      rehearsal.step(Step.RECOVERED, this::recover);
    } else {
      rehearsal.record(StepResult.notRun(Step.RECOVERED, "needs step 10, which " + terminated.status().label()));
    }
  }

  private StepResult create() {
    deploy(settings.sources().appJar());
    HostCheck host = HostCheck.read(aws.cloudFormation(), aws.ec2(), id.appStack());
    if (host == null) {
      return StepResult.failed(Step.CREATE, "stack " + id.appStack() + " has no instance");
    }
    instanceId = host.instanceId();
    publicIp = host.publicIp();
    securityGroupId = physicalId("WebSecurityGroup");
    return StepResult.passed(Step.CREATE, "stacks " + id.bootstrapStack() + " and " + id.appStack()
        + " created; WebServer " + instanceId + " holds the Elastic IP " + publicIp);
  }

  private StepResult greeting() {
    Optional<String> lacking = quirks.lacks(Capability.RUNNING_HOSTS);
    if (lacking.isPresent()) {
      return StepResult.notPossible(Step.GREETING, lacking.get());
    }
    HttpCheck.expectGreeting(URI.create("http://" + publicIp + "/"), HTTP_LIMIT, out);
    HttpCheck.expectGreeting(URI.create("https://" + publicIp + "/"), HTTPS_LIMIT, out);
    return StepResult.passed(Step.GREETING, "http://" + publicIp + "/ and https://" + publicIp + "/ answer the"
        + " greeting; the HTTPS certificate names the address and this JVM's trust store accepts it");
  }

  /** Steps 3 and 4 together: the outside load runs from before the new jar's deploy to after its rollout. */
  private void newJarAndRollout() {
    Optional<String> noHosts = quirks.lacks(Capability.RUNNING_HOSTS);
    try {
      StepResult deployed = rehearsal.step(Step.NEW_JAR, () -> {
        Path jar = NewJar.derive(settings.sources().appJar(), settings.workDir(), id);
        String key = ArtifactStore.keyFor(jar);
        newJarSha = sha256(jar);
        if (noHosts.isEmpty()) {
          load = OutsideLoad.start(URI.create("http://" + publicIp + "/"));
        }
        deploy(jar);
        String now = parameter("ArtifactKey");
        return key.equals(now)
            ? StepResult.passed(Step.NEW_JAR, "the app stack's ArtifactKey is " + key + " (WebServer's"
                + " cfn-init metadata names it)")
            : StepResult.failed(Step.NEW_JAR, "the app stack's ArtifactKey is " + now + ", not " + key);
      });
      if (noHosts.isPresent()) {
        rehearsal.step(Step.ROLLOUT, () -> StepResult.notPossible(Step.ROLLOUT, noHosts.get()));
      } else if (!deployed.passed() || load == null) {
        rehearsal.record(StepResult.notRun(Step.ROLLOUT, "needs step 3, which " + deployed.status().label()));
      } else {
        rehearsal.step(Step.ROLLOUT, () -> rollout(load, newJarSha));
      }
    } finally {
      if (load != null) {
        load.close();
      }
    }
  }

  private StepResult rollout(OutsideLoad load, String sha) {
    Instant deadline = Instant.now().plus(ROLLOUT_LIMIT);
    Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(15));
    StringBuilder why = new StringBuilder();
    out.printf("Waiting for the host to serve the new jar (%s), read over SSM, up to %d min; %d clients"
        + " asking http://%s/ meanwhile%n", sha.substring(0, 12), ROLLOUT_LIMIT.toMinutes(), OutsideLoad.CLIENTS,
        publicIp);
    while (true) {
      rehearsal.requireRunning();
      Optional<String> serving = ServingJar.read(aws.ssm(), instanceId, why);
      if (serving.filter(sha::equals).isPresent()) {
        break;
      }
      if (Instant.now().isAfter(deadline)) {
        OutsideLoad.Result seen = load.stop();
        return StepResult.failed(Step.ROLLOUT, "the host did not serve the new jar within "
            + ROLLOUT_LIMIT.toMinutes() + " min (" + serving.map(s -> "it serves " + s.substring(0, 12))
                .orElse(why.toString()) + "); " + seen.requests() + " requests, " + seen.failures() + " failed");
      }
      backoff.pause();
    }
    rehearsal.pauseRunning(DRAIN);
    OutsideLoad.Result seen = load.stop();
    if (seen.failures() > 0 || seen.requests() == 0) {
      return StepResult.failed(Step.ROLLOUT, seen.failures() + " of " + seen.requests() + " requests from"
          + " outside failed during the rollout" + (seen.firstFailure().isEmpty() ? "" : " (first: "
              + seen.firstFailure() + ")"));
    }
    return StepResult.passed(Step.ROLLOUT, "the host serves the new jar " + sha.substring(0, 12) + " (cfn-hup ran"
        + " cfn-init, hello-rollout switched slots); " + seen.requests() + " requests from outside, 0 failed");
  }

  private StepResult auditPasses() {
    Optional<String> lacking = quirks.lacks(Capability.INSTANCE_NETWORK_INTERFACES);
    if (lacking.isPresent()) {
      return StepResult.notPossible(Step.AUDIT_PASSES, lacking.get());
    }
    AuditOutcome audit = audit("fresh");
    return audit.passed()
        ? StepResult.passed(Step.AUDIT_PASSES, "the live firewall (" + audit.firewall().groups().size()
            + " security group(s)) passes the " + audit.rulesApplied() + " firewall rules")
        : StepResult.failed(Step.AUDIT_PASSES, "violations of the fresh host: " + findings(audit));
  }

  /**
   * Opens tcp 8080 to the internet on the security group the host really carries, as someone at the console
   * would: the stack's WebSecurityGroup on AWS (an emulator that attaches another group gets it there instead).
   */
  private StepResult openPort() {
    LiveFirewall firewall = LiveFirewall.read(aws.cloudFormation(), aws.ec2(), id.appStack());
    openedGroup = firewall.groups().stream().filter(g -> "WebSecurityGroup".equals(g.logicalId())).findFirst()
        .or(() -> firewall.groups().stream().findFirst()).map(LiveFirewall.Group::id)
        .orElseThrow(() -> new DeployException("the host " + instanceId + " carries no security group"));
    List<SecurityGroupRule> added = aws.ec2().authorizeSecurityGroupIngress(r -> r.groupId(openedGroup)
        .ipPermissions(p -> p.ipProtocol("tcp").fromPort(8080).toPort(8080).ipRanges(c -> c.cidrIp("0.0.0.0/0")
            .description("Opened by the hello-host rehearsal")))).securityGroupRules();
    if (added.isEmpty()) {
      return StepResult.failed(Step.PORT_OPENED, "EC2 reported no rule added to " + openedGroup);
    }
    openedRule = added.get(0).securityGroupRuleId();
    AuditOutcome audit = audit("opened");
    boolean named = audit.findings().stream().anyMatch(f -> f.rule() != null
        && openedRule.equals(f.rule().securityGroupRuleId()) && SG_INGRESS_POLICY.equals(f.violation().rule()));
    String opened = "tcp 8080 from 0.0.0.0/0 (" + openedRule + ") on the host's " + openedGroup
        + (openedGroup.equals(securityGroupId) ? " (WebSecurityGroup)" : "");
    return named
        ? StepResult.passed(Step.PORT_OPENED, opened + ": the audit fails with " + SG_INGRESS_POLICY
            + " on that rule")
        : StepResult.failed(Step.PORT_OPENED, opened + ": the audit does not name it (" + findings(audit) + ")");
  }

  private StepResult hookRefuses() {
    Optional<String> lacking = quirks.lacks(Capability.HOOKS);
    if (lacking.isPresent()) {
      return StepResult.notPossible(Step.HOOK_REFUSES, lacking.get());
    }
    return HookRefusal.run(aws.cloudFormation(), id.appStack(), id.hookAlias(), app, id + "-violation");
  }

  private StepResult drift() {
    Optional<String> lacking = quirks.lacks(Capability.DRIFT_DETECTION);
    if (lacking.isPresent()) {
      return StepResult.notPossible(Step.DRIFT, lacking.get());
    }
    List<DriftOutcome.StackResult> results = new ArrayList<>();
    for (String stack : List.of(id.bootstrapStack(), id.appStack())) {
      results.add(StackDrift.detect(aws.cloudFormation(), stack, settings.waitLimit(), quirks));
    }
    String summary = results.stream().map(r -> r.stackName() + " " + r.detectionStatus() + " ("
        + r.drifted().size() + " drifted, " + r.inSync() + " in sync, " + r.notChecked().size()
        + " not checked)").collect(Collectors.joining(", "));
    Optional<DriftOutcome.StackResult> failed = results.stream().filter(DriftOutcome.StackResult::failed)
        .findFirst();
    if (failed.isPresent()) {
      return StepResult.failed(Step.DRIFT, "detection of " + failed.get().stackName() + " failed: "
          + failed.get().reason() + "; " + summary);
    }
    boolean seen = results.get(1).drifted().stream().anyMatch(d -> "WebSecurityGroup".equals(
        d.logicalResourceId()) && d.stackResourceDriftStatus() == StackResourceDriftStatus.MODIFIED);
    return seen
        ? StepResult.passed(Step.DRIFT, "WebSecurityGroup MODIFIED; " + summary)
        : StepResult.failed(Step.DRIFT, "WebSecurityGroup is not reported MODIFIED; " + summary);
  }

  private StepResult closePort() {
    aws.ec2().revokeSecurityGroupIngress(r -> r.groupId(openedGroup).securityGroupRuleIds(openedRule));
    AuditOutcome audit = audit("closed");
    boolean stillNamed = audit.findings().stream()
        .anyMatch(f -> f.rule() != null && openedRule.equals(f.rule().securityGroupRuleId()));
    Optional<String> otherGroups = quirks.lacks(Capability.INSTANCE_NETWORK_INTERFACES);
    if (stillNamed || (otherGroups.isEmpty() && !audit.passed())) {
      return StepResult.failed(Step.PORT_CLOSED, openedRule + " revoked, yet the audit reports "
          + findings(audit));
    }
    return StepResult.passed(Step.PORT_CLOSED, openedRule + " revoked: the audit no longer reports it"
        + (audit.passed() ? " and passes" : " (what it still reports is step 5's: " + otherGroups.orElse("")
            + ")"));
  }

  private StepResult terminate() {
    aws.ec2().terminateInstances(r -> r.instanceIds(instanceId));
    aws.ec2().waiter().waitUntilInstanceTerminated(r -> r.instanceIds(instanceId),
        w -> w.waitTimeout(settings.waitLimit()));
    HostCheck host = HostCheck.read(aws.cloudFormation(), aws.ec2(), id.appStack());
    if (host == null || !host.instanceGone()) {
      return StepResult.failed(Step.TERMINATED, "the deployer's host check does not find " + instanceId
          + " gone: " + (host == null ? "no instance in the stack" : host.instanceState()));
    }
    return StepResult.passed(Step.TERMINATED, instanceId + " terminated over the EC2 API; the deployer's host"
        + " check finds it gone: \"" + host.recoveryNote() + "\"");
  }

  private StepResult recover() {
    Optional<String> lacking = quirks.lacks(Capability.INSTANCE_REPLACEMENT);
    if (lacking.isPresent()) {
      return StepResult.notPossible(Step.RECOVERED, lacking.get());
    }
    deploy(NewJar.derive(settings.sources().appJar(), settings.workDir(), id));
    HostCheck host = HostCheck.read(aws.cloudFormation(), aws.ec2(), id.appStack());
    if (host == null || host.instanceId().equals(instanceId) || !publicIp.equals(host.publicIp())
        || !host.problems().isEmpty()) {
      return StepResult.failed(Step.RECOVERED, "after the deploy: " + (host == null ? "no instance"
          : host.instanceId() + " on " + host.publicIp() + " " + host.problems()));
    }
    return StepResult.passed(Step.RECOVERED, "HostGeneration 1: new instance " + host.instanceId()
        + " holds the same Elastic IP " + publicIp + " and answers the greeting");
  }

  /** A deploy of both stacks under the rehearsal's names through the deployer's own orchestration. */
  private void deploy(Path jar) {
    RunId run = settings.runs().get();
    rehearsal.deployStarted(run);
    Sources sources = new Sources(settings.sources().templates(), settings.sources().rules(), jar);
    DeploySettings deploy = DeploySettings.builder(sources, settings.destination(), run).naming(id.naming())
        .waitLimit(settings.waitLimit()).reviewFile(settings.workDir().resolve("review.md")).build();
    DeployOutcome outcome = deployments.apply(deploy).run(connect);
    if (outcome.kind() != DeployOutcome.Kind.DEPLOYED) {
      throw new DeployException("the deploy ended " + outcome.kind());
    }
  }

  private AuditOutcome audit(String when) {
    return FirewallAudit.audit(aws, id.appStack(), settings.workDir().resolve("audit-" + when + ".yaml"), policy);
  }

  private String physicalId(String logicalId) {
    return aws.cloudFormation().listStackResourcesPaginator(r -> r.stackName(id.appStack()))
        .stackResourceSummaries().stream().filter(r -> logicalId.equals(r.logicalResourceId()))
        .map(StackResourceSummary::physicalResourceId).findFirst()
        .orElseThrow(() -> new DeployException("stack " + id.appStack() + " has no " + logicalId));
  }

  private String parameter(String key) {
    return aws.cloudFormation().describeStacks(r -> r.stackName(id.appStack())).stacks().get(0).parameters()
        .stream().filter(p -> key.equals(p.parameterKey())).map(p -> p.parameterValue()).findFirst().orElse("");
  }

  private static String findings(AuditOutcome audit) {
    if (audit.findings().isEmpty()) {
      return "no violation";
    }
    return audit.findings().stream().map(f -> f.violation().rule() + " on " + (f.group() == null ? "the firewall"
        : f.group().id()) + (f.rule() == null ? "" : " rule " + f.rule().securityGroupRuleId()))
        .distinct().collect(Collectors.joining(", "));
  }

  private static String sha256(Path jar) {
    try (InputStream in = Files.newInputStream(jar)) {
      return ContentHash.sha256(in);
    } catch (IOException e) {
      throw new DeployException("cannot read " + jar + ": " + e.getMessage(), e);
    }
  }
}
