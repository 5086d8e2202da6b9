package com.benchsci.deployer;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * {@code java -jar deployer.jar}: deploys cloudformation/bootstrap.yaml and stack.yaml through change sets.
 * Exit 0: deployed, reviewed or nothing to change; 1: refused or failed (one line says why); 2: bad usage.
 */
@Command(name = "deployer", mixinStandardHelpOptions = true,
    description = "Deploys the hello-host stacks through CloudFormation change sets (local moto by default).")
public final class Cli implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--env", defaultValue = "local",
      description = "local (moto emulator, dummy credentials) or prod (real AWS, default credential chain).")
  Env env;

  @Option(names = "--templates", defaultValue = "cloudformation",
      description = "Folder of bootstrap.yaml, stack.yaml and their <name>-<env>.json parameter files.")
  Path templates;

  @Option(names = "--rules", defaultValue = "guard-rules", description = "Folder of the cfn-guard policy rules.")
  Path rules;

  @Option(names = "--app-jar", defaultValue = "vertx-app/target/vertx-app.jar", description = "The app to deploy.")
  Path appJar;

  @Option(names = "--execute", arity = "1", defaultValue = "true",
      description = "false: create, render and delete the change sets without executing them (review).")
  boolean execute;

  @Option(names = "--review-file", defaultValue = "cloudformation/target/review.md",
      description = "Where the Markdown review goes when --execute=false.")
  Path reviewFile;

  @Option(names = "--endpoint", description = "Local only: an AWS API emulator to use (default: $AWS_ENDPOINT_URL,"
      + " else a moto server started and kept running by the deployer).")
  URI endpoint;

  @Option(names = "--wait-minutes", defaultValue = "30", description = "Longest wait for one stack operation.")
  long waitMinutes;

  enum Env { local, prod }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Cli()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Deployer.Settings settings = new Deployer.Settings(templates, rules, appJar, env == Env.prod, execute, reviewFile,
        endpoint, Duration.ofMinutes(waitMinutes));
    try {
      Deployer.deploy(settings, Deployer.Checked.NOTHING, out);
      return 0;
    } catch (RuntimeException e) {
      String problem = Deployer.problem(e);
      if (problem == null) {
        throw e;
      }
      out.flush();
      err.println("ERROR: " + problem);
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** cfn-lint and the cfn-guard policy rules, run on each template before anything reaches AWS. */
  static List<TemplateCheck> checks(Path rules) {
    if (!Files.isDirectory(rules)) {
      throw new DeployException("cfn-guard rules not found: " + rules
          + " (run from the repository root or set --rules)");
    }
    LintCheck lint = LintCheck.standard();
    GuardCheck guard = new GuardCheck(ToolCache.standard().cfnGuard(), rules);
    return List.of(
        template -> lint.check(template).stream().map(Object::toString).toList(),
        template -> guard.validate(template).stream().map(Object::toString).toList());
  }

  /** One line for the client-side failures a user can fix: credentials and reachability. */
  static String clientProblem(SdkClientException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException) {
        return "cannot reach the AWS endpoint (" + t.getMessage() + "): check the network or the endpoint"
            + " (--endpoint, cfn.endpoint in Maven)";
      }
    }
    String message = String.valueOf(e.getMessage());
    if (message.contains("Unable to load credentials")) {
      return "no AWS credentials found: configure the default chain (AWS_PROFILE, SSO, OIDC web identity,"
          + " instance role); keys are never read from the repository";
    }
    return message.lines().findFirst().orElse(message);
  }

  /** Unique per run and traceable to the commit: hello-host-<commit>-<UTC time>. */
  static String changeSetName() {
    String commit = System.getenv("CIRCLE_SHA1");
    if (commit == null || commit.isBlank()) {
      commit = gitHead();
    }
    String time = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC));
    String safe = commit.replaceAll("[^A-Za-z0-9]", "");
    return "hello-host-" + (safe.isEmpty() ? "nocommit" : safe.substring(0, Math.min(12, safe.length()))) + "-" + time;
  }

  private static String gitHead() {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
      String head = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 ? head : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
