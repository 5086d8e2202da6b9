package com.benchsci.deployer.deploy;

import com.benchsci.deployer.core.AwsClients;
import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.DeploySettings;
import com.benchsci.deployer.core.DriftChoice;
import com.benchsci.deployer.core.ProductStack;
import com.benchsci.deployer.core.Safeguard;
import com.benchsci.deployer.impact.Analysis;
import com.benchsci.deployer.impact.DeployedTemplate;
import com.benchsci.deployer.live.HandMadeChanges;
import com.benchsci.deployer.live.HostCheck;
import com.benchsci.deployer.stack.Assessor;
import com.benchsci.deployer.stack.RunLease;
import com.benchsci.deployer.stack.StackDeployer;
import com.benchsci.deployer.stack.StackOutputs;
import com.benchsci.deployer.stack.StackResult;
import com.benchsci.deployer.stack.StackState;
import com.benchsci.deployer.stack.Stacks;
import com.benchsci.deployer.stack.TableFormat;
import com.benchsci.deployer.template.ParameterFile;
import com.benchsci.deployer.template.Template;
import com.benchsci.deployer.template.TemplateChecks;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * The whole deploy of the product: check both templates, then (and only then) reach AWS: the bootstrap stack
 * (artifact bucket, and the Guard Hook pinned to the rules bundle published there), the app jar under its content
 * address, the app stack with that key, then the host and the app checked. A review makes the same change sets,
 * shows them, deletes them, runs and uploads nothing.
 */
public final class Deployment {

  private final DeploySettings settings;
  /** The two stacks' names: the product's, or a rehearsal's own (DeploySettings.naming). */
  private final String bootstrapStack;
  private final String appStack;
  private final TemplateChecks checks;
  private final TableFormat format;
  private final Function<String, Analysis> analyses;
  private final PrintWriter out;

  /**
   * {@code format}: how a change is shown on the console; {@code analyses}: the impact analysis for a region (the
   * resource schemas are per region), asked once the target is known.
   */
  public Deployment(DeploySettings settings, TemplateChecks checks, TableFormat format,
      Function<String, Analysis> analyses, PrintWriter out) {
    this.settings = settings;
    this.bootstrapStack = settings.naming().stackName(ProductStack.BOOTSTRAP);
    this.appStack = settings.naming().stackName(ProductStack.APP);
    this.checks = checks;
    this.format = format;
    this.analyses = analyses;
    this.out = out;
  }

  /** {@code connect} is only called after every local check passed: nothing invalid ever reaches the target. */
  public DeployOutcome run(Supplier<Connection> connect) {
    Template bootstrap = Template.load(settings.sources().template(ProductStack.BOOTSTRAP));
    Template app = Template.load(settings.sources().template(ProductStack.APP));
    if (!bootstrap.fitsInline()) {
      throw new DeployException(bootstrap.file() + " is " + bootstrap.size() + " bytes, over CloudFormation's "
          + Template.INLINE_LIMIT + "-byte limit for an inline template; it creates the artifact bucket that larger"
          + " templates are uploaded to, so it must stay under the limit: nothing was sent to AWS");
    }
    checks.require(bootstrap, out);
    checks.require(app, out);
    Map<String, String> bootstrapParameters = parameters(bootstrap, ProductStack.BOOTSTRAP);
    Map<String, String> appParameters = parameters(app, ProductStack.APP);
    requireParameters(app, "ArtifactBucket", "ArtifactKey");
    requireParameters(bootstrap, GuardRules.KEY, GuardRules.VERSION);
    String artifactKey = ArtifactStore.keyFor(settings.sources().appJar());
    RulesBundle bundle = RulesBundle.of(settings.sources().rules());
    boolean executes = settings.mode().executes();

    Review review;
    Connection connection = connect.get();
    AwsClients aws = connection.clients();
    try (connection) {
      if (settings.drift() == DriftChoice.REVERT) {
        Optional<String> unable = connection.quirks().noDriftAwareChangeSets();
        if (unable.isPresent()) {
          throw new DeployException("cannot revert drift: " + unable.get());
        }
      }
      out.printf("Deploying to %s (environment %s, change set %s)%n", aws.target().describe(),
          settings.environment(), settings.run().name());
      out.flush();
      review = new Review(aws.target().describe(), settings.run().name());
      StackDeployer.Options options = new StackDeployer.Options(settings.mode(), settings.waitLimit(),
          settings.has(Safeguard.TERMINATION_PROTECTION), settings.reviewed(),
          settings.drift() == DriftChoice.REVERT);
      Analysis analysis = analyses.apply(aws.target().region());
      Stacks stacks = new Stacks(aws.cloudFormation(), out);
      // The lease is closed before the clients: its clean-up (and its SIGINT/SIGTERM hook) still needs them.
      try (RunLease lease = new RunLease(aws.cloudFormation(), out, settings.run(), executes,
          settings.waitLimit(), connection.quirks())) {
        StackDeployer deployer = new StackDeployer(aws.cloudFormation(), out, options, lease, connection.quirks(),
            format);
        GuardRules rules = new GuardRules(bundle, aws.s3(), connection.quirks(), out);
        String bucket = deployBootstrap(deployer, stacks, connection, analysis, bootstrap, bootstrapParameters, rules,
            review);
        if (review.unreviewed()) {
          // Nothing more executes in this run: the rest is reviewed, so the new review is whole.
          deployer = deployer.reviewOnly();
        }
        boolean appDeployed = false;
        if (bucket == null) {
          review.add(new Review.NotShown(appStack, "Not reviewed: it needs the artifact bucket of " + bootstrapStack
              + ", which does not exist yet."));
        } else {
          appDeployed = deployApp(deployer, stacks, connection, analysis, app, appParameters, bucket, artifactKey,
              review);
        }
        if (review.unreviewed()) {
          return outcome(DeployOutcome.Kind.STOPPED_UNREVIEWED, review);
        }
        if (executes && appDeployed) {
          PostDeployChecks.host(aws.cloudFormation(), aws.ec2(), appStack, app, out);
          PostDeployChecks.app(StackOutputs.read(aws.cloudFormation(), appStack, app, connection.quirks(), out),
              settings.has(Safeguard.GREETING_CHECK), connection.quirks(), out);
        }
      }
    } catch (SdkClientException e) {
      throw aws.explain(e);
    }
    return outcome(executes ? DeployOutcome.Kind.DEPLOYED : DeployOutcome.Kind.REVIEWED, review);
  }

  /**
   * The hook reads its rules from the bucket this stack creates. So a first deploy creates the stack without them
   * (no hook), then publishes the bundle and deploys again with its key and version, which creates the hook; later
   * deploys publish first (nothing for unchanged rules) and deploy once. A review publishes nothing: rules not yet
   * in the bucket are noted, and the hook keeps its current rules in the reviewed change set. Returns the artifact
   * bucket, or null when a review finds no bootstrap stack to take it from.
   */
  private String deployBootstrap(StackDeployer deployer, Stacks stacks, Connection connection, Analysis analysis,
      Template bootstrap, Map<String, String> parameters, GuardRules rules, Review review) {
    Stack existing = stacks.find(bootstrapStack);
    refuseIfAnotherRunIsBetweenItsSteps(existing, bootstrap);
    Map<String, String> current = new LinkedHashMap<>();
    if (existing != null) {
      existing.parameters().forEach(p -> current.put(p.parameterKey(), p.parameterValue()));
    }
    StackState state = StackState.of(existing == null ? null : existing.stackStatusAsString());
    String bucket = state == StackState.UPDATE || state == StackState.BUSY ? bucketOf(connection, bootstrap) : null;
    if (bucket == null && settings.mode().executes()) {
      if (state == StackState.CREATE || state == StackState.RECREATE) {
        out.printf("Creating stack %s without the Guard Hook first: the hook's rules go into its bucket.%n",
            bootstrapStack);
      }
      StackResult first = deployer.deploy(bootstrapStack, bootstrap, null, parameters,
          stack -> assessorFor(bootstrapStack, stack, connection, analysis));
      if (first.kind() == StackResult.Kind.UNREVIEWED) {
        review.add(Review.Shown.of(bootstrapStack, first));
        return null;
      }
      if (existing == null && first.kind() == StackResult.Kind.NO_CHANGES) {
        // Not there when this run looked, unchanged now: another run created it meanwhile.
        refuseIfAnotherRunIsBetweenItsSteps(stacks.find(bootstrapStack), bootstrap);
      }
      bucket = bucketOf(connection, bootstrap);
    }
    String note = bucket == null ? "" : rules.pin(bucket, current, parameters, settings.mode().executes());
    review.add(new Review.Shown(bootstrapStack, deployer.deploy(bootstrapStack, bootstrap, null, parameters,
        stack -> assessorFor(bootstrapStack, stack, connection, analysis)), "", List.of(), note));
    return bucket;
  }

  /** The app jar, the host image, the host's recovery, then the app stack. Returns whether it is deployed. */
  private boolean deployApp(StackDeployer deployer, Stacks stacks, Connection connection, Analysis analysis,
      Template app, Map<String, String> parameters, String bucket, String artifactKey, Review review) {
    AwsClients aws = connection.clients();
    if (settings.mode().executes()) {
      boolean uploaded = ArtifactStore.upload(aws.s3(), bucket, artifactKey, settings.sources().appJar());
      out.printf("%s s3://%s/%s%n", uploaded ? "Uploaded the app jar to" : "The app jar is already in", bucket,
          artifactKey);
    }
    parameters.put("ArtifactBucket", bucket);
    parameters.put("ArtifactKey", artifactKey);
    List<String> images = new ArrayList<>();
    Stack deployed = stacks.find(appStack);
    parameters.putAll(HostImages.choose(app, parameters, deployed, settings.image(), aws.ssm(), line -> {
      out.println(line);
      images.add(line);
    }));
    String recovery = app.parameterNames().contains(HostCheck.GENERATION)
        ? HostRecovery.prepare(aws.cloudFormation(), aws.ec2(), deployed, parameters, out) : "";
    String templateUrl = app.fitsInline() ? null : ArtifactStore.uploadTemplate(aws.s3(), bucket, app, out);
    StackResult result = deployer.deploy(appStack, app, templateUrl, parameters,
        stack -> assessorFor(appStack, stack, connection, analysis));
    review.add(new Review.Shown(appStack, result, recovery, images, ""));
    return result.deployed();
  }

  /**
   * Reads {@code existing} as it is, just before its change set (the engine asks once no other run holds it): its
   * deployed template and parameters, and what was changed on it by hand; null when there is nothing deployed to
   * update. A refusal to read the live state is a note of the review, not a failure: the change set is what runs.
   */
  private Assessor assessorFor(String stackName, Stack existing, Connection connection, Analysis analysis) {
    if (existing == null) {
      return ChangeAssessor.forNewStack(analysis);
    }
    AwsClients aws = connection.clients();
    Map<String, Object> template = Template.parse(aws.cloudFormation().getTemplate(r -> r.stackName(stackName))
        .templateBody(), "the deployed template of stack " + stackName);
    Map<String, String> parameters = new LinkedHashMap<>();
    existing.parameters().forEach(p -> parameters.put(p.parameterKey(), p.parameterValue()));
    HandMadeChanges.Found found;
    try {
      found = HandMadeChanges.read(aws.cloudFormation(), aws.ec2(), stackName,
          DeployedTemplate.of(template, parameters, aws.target().region()), settings.waitLimit(),
          connection.quirks(), out);
    } catch (AwsServiceException e) {
      // The error code only: AWS's message names the caller's session, which differs between runs and digests.
      String refusal = e.awsErrorDetails() == null ? "HTTP " + e.statusCode()
          : e.awsErrorDetails().serviceName() + " " + e.awsErrorDetails().errorCode();
      found = new HandMadeChanges.Found(List.of(), List.of("What was changed by hand on stack " + stackName
          + " was not read: refused (" + refusal + ")."));
    }
    return new ChangeAssessor(analysis, template, parameters, found);
  }

  /**
   * The bootstrap stack is created in two steps (without the Guard Hook, then with its rules), each its own change
   * set: between them the creating run has no change set pending, so the per-stack lease (RunLease) cannot show that
   * run. A bootstrap stack without its rules, created within the wait limit, is taken as that run's, between its steps:
   * this run refuses before changing anything, as it would for that run's pending change set. A run stopped between the
   * steps holds the stack the same way until the wait limit has passed since the stack's creation.
   */
  private void refuseIfAnotherRunIsBetweenItsSteps(Stack stack, Template bootstrap) {
    if (stack == null || !settings.mode().executes() || !bootstrap.parameterNames().contains(GuardRules.KEY)
        || stack.creationTime() == null) {
      return;
    }
    boolean withRules = stack.parameters().stream()
        .anyMatch(p -> p.parameterKey().equals(GuardRules.KEY) && !p.parameterValue().isEmpty());
    Duration age = Duration.between(stack.creationTime(), Instant.now());
    if (!withRules && age.compareTo(settings.waitLimit()) < 0) {
      throw new DeployException("stack " + bootstrapStack + " is held by another deploy: created " + age.toSeconds()
          + " s ago without the Guard Hook's rules, which that run adds next; nothing was changed: deploy again when"
          + " that run has finished");
    }
  }

  private String bucketOf(Connection connection, Template bootstrap) {
    String bucket = StackOutputs.read(connection.clients().cloudFormation(), bootstrapStack, bootstrap,
        connection.quirks(), out).get("ArtifactBucketName");
    if (bucket == null) {
      throw new DeployException("stack " + bootstrapStack + " has no ArtifactBucketName output");
    }
    return bucket;
  }

  private DeployOutcome outcome(DeployOutcome.Kind kind, Review review) {
    return new DeployOutcome(kind, review, settings.reviewFile(), settings.digestsFile(), settings.commentFile());
  }

  private static void requireParameters(Template template, String... names) {
    for (String required : names) {
      if (!template.parameterNames().contains(required)) {
        throw new DeployException(template.file() + " must declare the parameter " + required
            + " (set by the deployer)");
      }
    }
  }

  private Map<String, String> parameters(Template template, ProductStack stack) {
    Map<String, String> parameters = new LinkedHashMap<>(ParameterFile.read(
        settings.sources().parameterFile(stack, settings.environment()), template));
    parameters.putAll(settings.naming().parameters(stack));
    return parameters;
  }
}
