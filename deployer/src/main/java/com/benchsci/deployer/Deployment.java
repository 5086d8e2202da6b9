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
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
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
    try (CloudFormationClient cfn = aws.cloudFormation(); S3Client s3 = aws.s3()) {
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
        review.add(APP_STACK, deployer.deploy(APP_STACK, app, appParameters));
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
  static void check(Template template, List<TemplateCheck> checks, PrintWriter out) {
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

    void note(String stack, String note) {
      text.append("\n### Stack `").append(stack).append("`\n\n").append(note).append('\n');
    }

    String markdown() {
      return text.toString();
    }
  }
}
