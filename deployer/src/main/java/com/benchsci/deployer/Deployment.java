package com.benchsci.deployer;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole deploy of the product: check both templates, then (and only then) reach AWS: the bootstrap stack
 * (artifact bucket), the app jar under its content address, the app stack with that key. With
 * {@code execute=false} it reviews instead: the same change sets, rendered to Markdown, deleted, nothing run.
 */
final class Deployment {

  static final String BOOTSTRAP_STACK = "hello-host-bootstrap";
  static final String APP_STACK = "hello-host";

  record Settings(Path templates, String env, Path appJar, boolean execute, Duration waitLimit,
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
    for (String required : List.of("ArtifactBucket", "ArtifactKey")) {
      if (!app.parameterNames().contains(required)) {
        throw new DeployException(app.file() + " must declare the parameter " + required + " (set by the deployer)");
      }
    }
    String artifactKey = ArtifactStore.keyFor(settings.appJar());

    AwsTarget aws = target.get();
    out.printf("Deploying to %s (environment %s, change set %s)%n", aws.describe(), settings.env(),
        settings.changeSetName());
    out.flush();
    StackDeployer.Options options = new StackDeployer.Options(settings.execute(), settings.waitLimit(),
        settings.terminationProtection(), settings.changeSetName());
    Review review = new Review(aws.describe(), settings.changeSetName());
    try (CloudFormationClient cfn = aws.cloudFormation(); S3Client s3 = aws.s3(); Ec2Client ec2 = aws.ec2()) {
      StackDeployer deployer = new StackDeployer(cfn, out, options);
      review.add(BOOTSTRAP_STACK, deployer.deploy(BOOTSTRAP_STACK, bootstrap, bootstrapParameters));
      if (!settings.execute() && deployer.status(BOOTSTRAP_STACK) == null) {
        review.note(APP_STACK, "Not reviewed: it needs the artifact bucket of " + BOOTSTRAP_STACK
            + ", which does not exist yet.");
      } else {
        String bucket = StackOutputs.read(cfn, BOOTSTRAP_STACK, bootstrap, out).get("ArtifactBucketName");
        if (bucket == null) {
          throw new DeployException("stack " + BOOTSTRAP_STACK + " has no ArtifactBucketName output");
        }
        if (settings.execute()) {
          boolean uploaded = ArtifactStore.upload(s3, bucket, artifactKey, settings.appJar());
          out.printf("%s s3://%s/%s%n", uploaded ? "Uploaded the app jar to" : "The app jar is already in", bucket,
              artifactKey);
        }
        appParameters.put("ArtifactBucket", bucket);
        appParameters.put("ArtifactKey", artifactKey);
        String recovery = app.parameterNames().contains(HostCheck.GENERATION)
            ? prepareHost(cfn, ec2, deployer, appParameters) : "";
        review.add(APP_STACK, deployer.deploy(APP_STACK, app, appParameters), recovery);
        if (settings.execute()) {
          checkHost(cfn, ec2, app);
          reachApp(StackOutputs.read(cfn, APP_STACK, app, out), aws);
        }
      }
    }
    if (!settings.execute()) {
      ReportFile.write(settings.reviewFile(), review.markdown());
      out.printf("Review written to %s; nothing was executed.%n", settings.reviewFile());
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

  /** The Markdown for the pull request: one section per stack. */
  static final class Review {
    private final StringBuilder text = new StringBuilder();

    Review(String target, String changeSetName) {
      text.append("## CloudFormation change set review\n\n")
          .append("Target: ").append(target).append(". Change sets `").append(changeSetName)
          .append("` were created, rendered and deleted; nothing was executed.\n");
    }

    void add(String stack, StackDeployer.Result result) {
      add(stack, result, "");
    }

    /** {@code finding}: what the deployer found on the live stack before its change set (or empty). */
    void add(String stack, StackDeployer.Result result, String finding) {
      text.append("\n### Stack `").append(stack).append("`\n\n");
      if (!finding.isEmpty()) {
        text.append("**").append(finding).append(".**\n\n");
      }
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

    void note(String stack, String note) {
      text.append("\n### Stack `").append(stack).append("`\n\n").append(note).append('\n');
    }

    String markdown() {
      return text.toString();
    }
  }
}
