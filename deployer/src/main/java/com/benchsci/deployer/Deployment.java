package com.benchsci.deployer;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole deploy of the product: check both templates, then (and only then) reach AWS: the bootstrap stack
 * (artifact bucket, and the Guard Hook pinned to the rules bundle published there), the app jar under its content
 * address, the app stack with that key. With {@code execute=false} it reviews instead: the same change sets,
 * rendered to Markdown, deleted, nothing run, nothing uploaded.
 */
final class Deployment {

  static final String BOOTSTRAP_STACK = "hello-host-bootstrap";
  static final String APP_STACK = "hello-host";

  /** The bootstrap parameters the deployer sets: where the Guard Hook's rules are, pinned by version. */
  static final String RULES_KEY = "GuardRulesKey";
  static final String RULES_VERSION = "GuardRulesVersion";

  record Settings(Path templates, Path rules, String env, Path appJar, boolean execute, Duration waitLimit,
      boolean terminationProtection, boolean httpCheck, Path reviewFile, String changeSetName) {}

  private final Settings settings;
  private final List<TemplateCheck> checks;
  private final PrintWriter out;

  Deployment(Settings settings, List<TemplateCheck> checks, PrintWriter out) {
    this.settings = settings;
    this.checks = checks;
    this.out = out;
  }

  /** {@code target} is only asked for after every local check passed: nothing invalid ever reaches it. */
  void run(Supplier<AwsTarget> target) {
    Template bootstrap = Template.load(settings.templates().resolve("bootstrap.yaml"));
    Template app = Template.load(settings.templates().resolve("stack.yaml"));
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
    Review review = new Review(aws.describe(), settings.changeSetName());
    try (CloudFormationClient cfn = aws.cloudFormation(); S3Client s3 = aws.s3()) {
      StackDeployer deployer = new StackDeployer(cfn, out, options(settings.changeSetName()));
      String bucket = deployBootstrap(deployer, aws, cfn, s3, bootstrap, bootstrapParameters, rules, review);
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
        review.add(APP_STACK, deploy(deployer, aws, cfn, APP_STACK, app, appParameters));
        if (settings.execute()) {
          reachApp(StackOutputs.read(cfn, APP_STACK, app, out), aws);
        }
      }
    }
    if (!settings.execute()) {
      write(settings.reviewFile(), review.markdown());
      out.printf("Review written to %s; nothing was executed.%n", settings.reviewFile());
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
      // A change set of its own: the name doubles as the client token, and AWS would take a second
      // CreateChangeSet with the same token for a retry of the first.
      new StackDeployer(cfn, out, options(settings.changeSetName() + "-bucket"))
          .deploy(BOOTSTRAP_STACK, bootstrap, parameters);
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
    review.add(BOOTSTRAP_STACK, deploy(deployer, aws, cfn, BOOTSTRAP_STACK, bootstrap, parameters));
    review.detail(note);
    return bucket;
  }

  private StackDeployer.Options options(String changeSetName) {
    return new StackDeployer.Options(settings.execute(), settings.waitLimit(), settings.terminationProtection(),
        changeSetName);
  }

  /**
   * moto answers a change set with the template and parameters already deployed by an empty change set, not "didn't
   * contain changes", once an executed change set has changed a parameter (its no-change test keeps comparing with
   * the parameters the stack was created with). On an emulator the deployer applies AWS's rule itself first.
   */
  private StackDeployer.Result deploy(StackDeployer deployer, AwsTarget aws, CloudFormationClient cfn, String stack,
      Template template, Map<String, String> parameters) {
    if (aws.isEmulator() && deployedAsIs(deployer, cfn, stack, template, parameters)) {
      out.printf("No changes to stack %s. (Same template and parameters as deployed, compared by the deployer:"
          + " moto's own check is stale after a parameter change.)%n", stack);
      return new StackDeployer.Result(StackDeployer.Kind.NO_CHANGES, new ChangeTable(List.of()), "");
    }
    return deployer.deploy(stack, template, parameters);
  }

  private static boolean deployedAsIs(StackDeployer deployer, CloudFormationClient cfn, String stack,
      Template template, Map<String, String> parameters) {
    Stack existing = deployer.find(stack);
    if (existing == null || StackState.of(existing.stackStatusAsString()) != StackState.UPDATE
        || !template.body().equals(cfn.getTemplate(r -> r.stackName(stack)).templateBody())) {
      return false;
    }
    Map<String, String> wanted = new LinkedHashMap<>();
    if (template.tree().get("Parameters") instanceof Map<?, ?> declared) {
      declared.forEach((name, declaration) -> {
        if (declaration instanceof Map<?, ?> d && d.get("Default") != null) {
          wanted.put(String.valueOf(name), String.valueOf(d.get("Default")));
        }
      });
    }
    wanted.putAll(parameters);
    Map<String, String> deployed = new LinkedHashMap<>();
    existing.parameters().forEach(p -> deployed.put(p.parameterKey(), p.parameterValue()));
    return deployed.equals(wanted);
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

  private static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DeployException("cannot write the review to " + file + ": " + e.getMessage(), e);
    }
  }

  /** The Markdown for the pull request: one section per stack. */
  static final class Review {
    private final StringBuilder text = new StringBuilder();

    Review(String target, String changeSetName) {
      text.append("## CloudFormation change set review\n\n")
          .append("Target: ").append(target).append(". Change sets `").append(changeSetName)
          .append("` were created, rendered and deleted; nothing was executed.\n");
    }

    void add(String stack, StackDeployer.Result result) {
      text.append("\n### Stack `").append(stack).append("`\n\n");
      switch (result.kind()) {
        case NO_CHANGES -> text.append("No changes.\n");
        default -> {
          if (!result.note().isEmpty()) {
            text.append(result.note()).append('\n');
          } else {
            text.append(result.changes().rows().size()).append(" change(s):\n\n").append(result.changes().markdown());
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

    String markdown() {
      return text.toString();
    }
  }
}
