package com.benchsci.deployer.stack;

import com.benchsci.deployer.DeployException;
import com.benchsci.deployer.ReportFile;
import com.benchsci.deployer.UnreviewedChangesException;
import com.benchsci.deployer.aws.AwsTarget;
import com.benchsci.deployer.live.HostCheck;
import com.benchsci.deployer.template.ParameterFile;
import com.benchsci.deployer.template.Template;
import com.benchsci.deployer.template.TemplateCheck;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The whole deploy of the product: check both templates, then (and only then) reach AWS: the bootstrap stack
 * (artifact bucket, and the Guard Hook pinned to the rules bundle published there), the app jar under its content
 * address, the app stack with that key. With {@code execute=false} it reviews instead: the same change sets,
 * rendered to Markdown, deleted, nothing run, nothing uploaded.
 */
public final class Deployment {

  public static final String BOOTSTRAP_STACK = "hello-host-bootstrap";
  public static final String APP_STACK = "hello-host";

  /** The bootstrap parameters the deployer sets: where the Guard Hook's rules are, pinned by version. */
  static final String RULES_KEY = "GuardRulesKey";
  static final String RULES_VERSION = "GuardRulesVersion";

  /**
   * {@code refreshImage}: resolve the host image from SSM again (else the stack's own is kept);
   * {@code reviewedDigests}: stack to reviewed digest, or null to execute without that check (local, by hand).
   */
  public record Settings(Path templates, Path rules, String env, Path appJar, boolean execute, Duration waitLimit,
      boolean terminationProtection, boolean httpCheck, Path reviewFile, String changeSetName, boolean refreshImage,
      Map<String, String> reviewedDigests) {}

  private final Settings settings;
  private final List<TemplateCheck> checks;
  private final PrintWriter out;

  public Deployment(Settings settings, List<TemplateCheck> checks, PrintWriter out) {
    this.settings = settings;
    this.checks = checks;
    this.out = out;
  }

  /** {@code target} is only asked for after every local check passed: nothing invalid ever reaches it. */
  public void run(Supplier<AwsTarget> target) {
    Template bootstrap = Template.load(settings.templates().resolve("bootstrap.yaml"));
    Template app = Template.load(settings.templates().resolve("stack.yaml"));
    if (!bootstrap.fitsInline()) {
      throw new DeployException(bootstrap.file() + " is " + bootstrap.size() + " bytes, over CloudFormation's "
          + Template.INLINE_LIMIT + "-byte limit for an inline template; it creates the artifact bucket that larger"
          + " templates are uploaded to, so it must stay under the limit: nothing was sent to AWS");
    }
    check(bootstrap);
    check(app);
    Map<String, String> bootstrapParameters = parameters(bootstrap, "bootstrap");
    Map<String, String> appParameters = parameters(app, "stack");
    requireParameters(app, "ArtifactBucket", "ArtifactKey");
    requireParameters(bootstrap, RULES_KEY, RULES_VERSION);
    String artifactKey = ArtifactStore.keyFor(settings.appJar());
    RulesBundle rules = RulesBundle.of(settings.rules());

    AwsTarget aws = target.get();
    out.printf("Deploying to %s (environment %s, change set %s)%n", aws.describe(), settings.env(),
        settings.changeSetName());
    out.flush();
    StackDeployer.Options options = new StackDeployer.Options(settings.execute(), settings.waitLimit(),
        settings.terminationProtection(), settings.reviewedDigests(), aws.isEmulator());
    Review review = new Review(aws.describe(), settings.changeSetName());
    // The lease is closed before the clients: its clean-up (and its SIGINT/SIGTERM hook) still needs them.
    try (CloudFormationClient cfn = aws.cloudFormation(); S3Client s3 = aws.s3(); SsmClient ssm = aws.ssm();
        Ec2Client ec2 = aws.ec2();
        RunLease lease = new RunLease(cfn, out, settings.changeSetName(), settings.execute(),
            settings.waitLimit())) {
      StackDeployer deployer = new StackDeployer(cfn, out, options, lease);
      String bucket = deployBootstrap(deployer, aws, cfn, s3, bootstrap, bootstrapParameters, rules, review);
      if (review.unreviewed()) {
        // Nothing more executes in this run: the rest is reviewed, so the new review is whole.
        deployer = new StackDeployer(cfn, out, options.reviewOnly(), lease);
      }
      boolean appDeployed = false;
      if (bucket == null) {
        review.note(APP_STACK, "Not reviewed: it needs the artifact bucket of " + BOOTSTRAP_STACK
            + ", which does not exist yet.");
      } else {
        if (settings.execute()) {
          boolean uploaded = ArtifactStore.upload(s3, bucket, artifactKey, settings.appJar());
          out.printf("%s s3://%s/%s%n", uploaded ? "Uploaded the app jar to" : "The app jar is already in", bucket,
              artifactKey);
        }
        appParameters.put("ArtifactBucket", bucket);
        appParameters.put("ArtifactKey", artifactKey);
        List<String> images = new ArrayList<>();
        appParameters.putAll(HostImages.choose(app, appParameters, deployer.find(APP_STACK), settings.refreshImage(),
            ssm, line -> {
              out.println(line);
              images.add(line);
            }));
        String recovery = app.parameterNames().contains(HostCheck.GENERATION)
            ? prepareHost(cfn, ec2, deployer, appParameters) : "";
        String templateUrl = app.fitsInline() ? null : ArtifactStore.uploadTemplate(s3, bucket, app, out);
        StackDeployer.Result appResult = deployer.deploy(APP_STACK, app, templateUrl, appParameters);
        review.add(APP_STACK, appResult, recovery, images);
        appDeployed = appResult.kind() == StackDeployer.Kind.CHANGED || appResult.kind() == StackDeployer.Kind.NO_CHANGES;
      }
      if (review.unreviewed()) {
        write(settings.reviewFile(), review);
        throw new UnreviewedChangesException("not the reviewed change set(s): nothing executed; the new review is "
            + settings.reviewFile() + ", its digests " + digestsFile(settings.reviewFile())
            + " (approve it, then deploy with --reviewed-digests set to them)");
      }
      if (settings.execute() && appDeployed) {
        checkHost(cfn, ec2, app);
        reachApp(StackOutputs.read(cfn, APP_STACK, app, out), aws);
      }
    } catch (SdkClientException e) {
      throw aws.problem(e);
    }
    if (!settings.execute()) {
      write(settings.reviewFile(), review);
      out.printf("Review written to %s (digests: %s); nothing was executed.%n", settings.reviewFile(),
          digestsFile(settings.reviewFile()));
    }
  }

  /**
   * The hook reads its rules from the bucket this stack creates. So a first deploy creates the stack without them
   * (no hook), then publishes the bundle and deploys again with its key and version, which creates the hook; later
   * deploys publish first (nothing for unchanged rules) and deploy once. A review publishes nothing: rules not yet
   * in the bucket are noted, and the hook keeps its current rules in the reviewed change set. Returns the artifact
   * bucket, or null when a review finds no bootstrap stack to take it from.
   */
  private String deployBootstrap(StackDeployer deployer, AwsTarget aws, CloudFormationClient cfn, S3Client s3,
      Template bootstrap, Map<String, String> parameters, RulesBundle rules, Review review) {
    Stack existing = deployer.find(BOOTSTRAP_STACK);
    Map<String, String> current = new LinkedHashMap<>();
    if (existing != null) {
      existing.parameters().forEach(p -> current.put(p.parameterKey(), p.parameterValue()));
    }
    StackState state = StackState.of(existing == null ? null : existing.stackStatusAsString());
    String bucket = state == StackState.UPDATE || state == StackState.BUSY ? bucketOf(cfn, bootstrap) : null;
    if (bucket == null && settings.execute()) {
      if (state == StackState.CREATE || state == StackState.RECREATE) {
        out.printf("Creating stack %s without the Guard Hook first: the hook's rules go into its bucket.%n",
            BOOTSTRAP_STACK);
      }
      StackDeployer.Result first = deployer.deploy(BOOTSTRAP_STACK, bootstrap, null, parameters);
      if (first.kind() == StackDeployer.Kind.UNREVIEWED) {
        review.add(BOOTSTRAP_STACK, first);
        return null;
      }
      bucket = bucketOf(cfn, bootstrap);
    }
    String note = "";
    if (bucket != null) {
      Optional<String> version;
      if (settings.execute()) {
        if (aws.isEmulator() && ArtifactStore.enableVersioning(s3, bucket)) {
          out.printf("Versioning of %s enabled through the S3 API, as bootstrap.yaml says: moto's CloudFormation"
              + " ignores VersioningConfiguration.%n", bucket);
        }
        ArtifactStore.Version published = ArtifactStore.publish(s3, bucket, rules.key(), rules.bytes());
        out.printf("%s s3://%s/%s (version %s)%n", published.uploaded() ? "Uploaded the guard rules to"
            : "The guard rules are already in", bucket, rules.key(), published.id());
        version = Optional.of(published.id());
      } else {
        version = ArtifactStore.versionHolding(s3, bucket, rules.key(), rules.bytes());
      }
      String before = rulesLocation(bucket, current.get(RULES_KEY), current.get(RULES_VERSION));
      String after = rulesLocation(bucket, rules.key(), version.orElse(null));
      parameters.put(RULES_KEY, version.isPresent() ? rules.key() : current.getOrDefault(RULES_KEY, ""));
      parameters.put(RULES_VERSION, version.orElse(current.getOrDefault(RULES_VERSION, "")));
      if (!before.equals(after)) {
        note = "Guard Hook rules (FirewallGuardHook RuleLocation)" + (version.isPresent() ? ": " : " on deploy: ")
            + before + " -> " + after + (version.isPresent() ? "" : " (the deploy uploads the bundle and pins its"
                + " version; not in the bucket yet, so this review's change set keeps the current rules)");
        out.println(note);
      }
    }
    review.add(BOOTSTRAP_STACK, deployer.deploy(BOOTSTRAP_STACK, bootstrap, null, parameters));
    review.detail(note);
    return bucket;
  }

  private String bucketOf(CloudFormationClient cfn, Template bootstrap) {
    String bucket = StackOutputs.read(cfn, BOOTSTRAP_STACK, bootstrap, out).get("ArtifactBucketName");
    if (bucket == null) {
      throw new DeployException("stack " + BOOTSTRAP_STACK + " has no ArtifactBucketName output");
    }
    return bucket;
  }

  private static String rulesLocation(String bucket, String key, String version) {
    if (key == null || key.isEmpty()) {
      return "none (no hook)";
    }
    String pinned = version == null || version.isEmpty() ? "(set on upload)" : version;
    return "s3://" + bucket + "/" + key + " version " + pinned;
  }

  private static void requireParameters(Template template, String... names) {
    for (String required : names) {
      if (!template.parameterNames().contains(required)) {
        throw new DeployException(template.file() + " must declare the parameter " + required
            + " (set by the deployer)");
      }
    }
  }

  /**
   * Looks at the deployed host before the change set: when its instance is gone, says so and raises the host
   * generation so that the change set replaces the instance (see {@link HostCheck}); otherwise keeps the
   * stack's generation, which must never change by accident. Returns the recovery note for the review.
   */
  private String prepareHost(CloudFormationClient cfn, Ec2Client ec2, StackDeployer deployer,
      Map<String, String> appParameters) {
    Stack stack = deployer.find(APP_STACK);
    String generation = HostCheck.currentGeneration(stack);
    HostCheck host = stack == null || StackState.of(stack.stackStatusAsString()) != StackState.UPDATE
        ? null : HostCheck.read(cfn, ec2, APP_STACK);
    String note = "";
    if (host != null && host.instanceGone()) {
      note = host.recoveryNote();
      String next = HostCheck.next(generation);
      out.println(note + ".");
      out.printf("  %s %s -> %s: CloudFormation replaces %s (new instance, Elastic IP moved to it).%n",
          HostCheck.GENERATION, generation, next, host.instanceLogicalId());
      generation = next;
    } else if (host != null) {
      host.problems().forEach(p -> out.println("WARNING: " + p + " (see the runbook: Recover the host)"));
    }
    appParameters.put(HostCheck.GENERATION, generation);
    return note;
  }

  /** The deploy's last word: the stack's instance runs and holds the Elastic IP, or the deploy fails loudly. */
  private void checkHost(CloudFormationClient cfn, Ec2Client ec2, Template app) {
    if (!app.resourceTypes().contains("AWS::EC2::Instance")) {
      return;
    }
    HostCheck host = HostCheck.read(cfn, ec2, APP_STACK);
    if (host == null) {
      throw new DeployException("stack " + APP_STACK + " ended without an instance among its resources although "
          + app.file() + " declares one: the host is down (the endpoint did not carry out the change set;"
          + " see the events above)");
    }
    if (!host.problems().isEmpty()) {
      throw new DeployException("the host is down after the deploy: " + String.join("; ", host.problems()));
    }
    out.printf("Host check: %s %s is running and holds the Elastic IP %s.%n", host.instanceLogicalId(),
        host.instanceId(), host.publicIp());
  }

  private void reachApp(Map<String, String> outputs, AwsTarget aws) {
    String url = outputs.get("Url");
    if (url == null) {
      out.println("The stack reports no Url output: see the outputs above.");
    } else if (settings.httpCheck()) {
      HttpCheck.expectGreeting(URI.create(url), Duration.ofMinutes(5), out);
    } else {
      out.printf("The app would be reached at %s%s%n", url,
          aws.isEmulator() ? " (an emulated address: moto runs no instance, so nothing answers there)" : "");
    }
  }

  private void check(Template template) {
    check(template, checks, out);
  }

  /** Runs every check on {@code template}; prints each violation and refuses the template when there is any. */
  public static void check(Template template, List<TemplateCheck> checks, PrintWriter out) {
    List<String> violations = new ArrayList<>();
    for (TemplateCheck c : checks) {
      violations.addAll(c.violations(template.file()));
    }
    if (!violations.isEmpty()) {
      violations.forEach(v -> out.println("  " + v));
      throw new DeployException(template.file() + " fails " + violations.size()
          + " check(s) (cfn-lint / cfn-guard, listed above): nothing was sent to AWS");
    }
    out.printf("Checked %s: cfn-lint and cfn-guard pass.%n", template.file());
  }

  private Map<String, String> parameters(Template template, String prefix) {
    Path file = settings.templates().resolve(prefix + "-" + settings.env() + ".json");
    return new LinkedHashMap<>(ParameterFile.read(file, template));
  }

  /** The Markdown review, and beside it the digests it showed as {@code --reviewed-digests} takes them. */
  private static void write(Path file, Review review) {
    ReportFile.write(file, review.markdown());
    ReportFile.write(digestsFile(file), review.digests() + "\n");
  }

  static Path digestsFile(Path reviewFile) {
    return reviewFile.resolveSibling("review-digests.txt");
  }

  /**
   * The Markdown for the pull request: one section per stack, each with the digest of what it shows, and all
   * digests once more in a hidden first line that the master deploy reads back (.circleci/reviewed-digests.sh).
   */
  static final class Review {
    static final String DIGESTS_MARKER = "<!-- hello-host-digests: ";
    private final StringBuilder text = new StringBuilder();
    private final Map<String, String> digests = new LinkedHashMap<>();
    private boolean unreviewed;

    Review(String target, String changeSetName) {
      text.append("## CloudFormation change set review\n\n")
          .append("Target: ").append(target).append(". Change sets `").append(changeSetName)
          .append("` were created and rendered; each one not executed was deleted.\n");
    }

    void add(String stack, StackDeployer.Result result) {
      add(stack, result, "", List.of());
    }

    /**
     * {@code finding}: what the deployer found on the live stack before its change set (or empty);
     * {@code notes}: lines shown above the changes (the image choice).
     */
    void add(String stack, StackDeployer.Result result, String finding, List<String> notes) {
      text.append("\n### Stack `").append(stack).append("`\n\n");
      if (!finding.isEmpty()) {
        text.append("**").append(finding).append(".**\n\n");
      }
      notes.forEach(n -> text.append("- ").append(n).append('\n'));
      if (!notes.isEmpty()) {
        text.append('\n');
      }
      if (!result.digest().isEmpty()) {
        digests.put(stack, result.digest());
        text.append("Digest: `").append(result.digest()).append("`\n\n");
      }
      unreviewed |= result.kind() == StackDeployer.Kind.UNREVIEWED;
      switch (result.kind()) {
        case NO_CHANGES -> text.append("No changes.\n");
        case CHANGED -> text.append("Executed: its digest was the reviewed one.\n\n")
            .append(result.changes().markdown());
        case UNREVIEWED -> text.append("**Not executed**: not the reviewed change set. ")
            .append(result.changes().rows().size()).append(" change(s):\n\n").append(result.changes().markdown());
        default -> {
          if (!result.note().isEmpty()) {
            text.append(result.note()).append('\n');
          }
          if (!result.changes().rows().isEmpty()) {
            text.append(result.note().isEmpty() ? "" : "\n").append(result.changes().rows().size())
                .append(" change(s):\n\n").append(result.changes().markdown());
          }
        }
      }
    }

    /** A line under the section just added; nothing for an empty one. */
    void detail(String line) {
      if (!line.isEmpty()) {
        text.append('\n').append(line).append('\n');
      }
    }

    void note(String stack, String note) {
      text.append("\n### Stack `").append(stack).append("`\n\n").append(note).append('\n');
    }

    boolean unreviewed() {
      return unreviewed;
    }

    /** {@code stack=digest,...} for every stack with changes: the value of {@code --reviewed-digests}. */
    String digests() {
      return digests.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(","));
    }

    String markdown() {
      // First, so a review cut to fit a comment still carries it.
      return DIGESTS_MARKER + digests() + " -->\n" + text;
    }
  }
}
