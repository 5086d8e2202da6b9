package com.benchsci.deployer.deploy;

import com.benchsci.deployer.core.AwsClients;
import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.DeploySettings;
import com.benchsci.deployer.core.ProductStack;
import com.benchsci.deployer.core.Safeguard;
import com.benchsci.deployer.live.HostCheck;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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
  private final PrintWriter out;

  public Deployment(DeploySettings settings, TemplateChecks checks, TableFormat format, PrintWriter out) {
    this.settings = settings;
    this.bootstrapStack = settings.naming().stackName(ProductStack.BOOTSTRAP);
    this.appStack = settings.naming().stackName(ProductStack.APP);
    this.checks = checks;
    this.format = format;
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
      out.printf("Deploying to %s (environment %s, change set %s)%n", aws.target().describe(),
          settings.environment(), settings.run().name());
      out.flush();
      review = new Review(aws.target().describe(), settings.run().name());
      StackDeployer.Options options = new StackDeployer.Options(settings.mode(), settings.waitLimit(),
          settings.has(Safeguard.TERMINATION_PROTECTION), settings.reviewed());
      Stacks stacks = new Stacks(aws.cloudFormation(), out);
      // The lease is closed before the clients: its clean-up (and its SIGINT/SIGTERM hook) still needs them.
      try (RunLease lease = new RunLease(aws.cloudFormation(), out, settings.run(), executes,
          settings.waitLimit())) {
        StackDeployer deployer = new StackDeployer(aws.cloudFormation(), out, options, lease, connection.quirks(),
            format);
        GuardRules rules = new GuardRules(bundle, aws.s3(), connection.quirks(), out);
        String bucket = deployBootstrap(deployer, stacks, connection, bootstrap, bootstrapParameters, rules, review);
        if (review.unreviewed()) {
          // Nothing more executes in this run: the rest is reviewed, so the new review is whole.
          deployer = deployer.reviewOnly();
        }
        boolean appDeployed = false;
        if (bucket == null) {
          review.add(new Review.NotShown(appStack, "Not reviewed: it needs the artifact bucket of " + bootstrapStack
              + ", which does not exist yet."));
        } else {
          appDeployed = deployApp(deployer, stacks, aws, app, appParameters, bucket, artifactKey, review);
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
  private String deployBootstrap(StackDeployer deployer, Stacks stacks, Connection connection, Template bootstrap,
      Map<String, String> parameters, GuardRules rules, Review review) {
    Stack existing = stacks.find(bootstrapStack);
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
      StackResult first = deployer.deploy(bootstrapStack, bootstrap, null, parameters);
      if (first.kind() == StackResult.Kind.UNREVIEWED) {
        review.add(Review.Shown.of(bootstrapStack, first));
        return null;
      }
      bucket = bucketOf(connection, bootstrap);
    }
    String note = bucket == null ? "" : rules.pin(bucket, current, parameters, settings.mode().executes());
    review.add(new Review.Shown(bootstrapStack, deployer.deploy(bootstrapStack, bootstrap, null, parameters), "",
        List.of(), note));
    return bucket;
  }

  /** The app jar, the host image, the host's recovery, then the app stack. Returns whether it is deployed. */
  private boolean deployApp(StackDeployer deployer, Stacks stacks, AwsClients aws, Template app,
      Map<String, String> parameters, String bucket, String artifactKey, Review review) {
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
    StackResult result = deployer.deploy(appStack, app, templateUrl, parameters);
    review.add(new Review.Shown(appStack, result, recovery, images, ""));
    return result.deployed();
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
    return new DeployOutcome(kind, review, settings.reviewFile(), settings.digestsFile());
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
