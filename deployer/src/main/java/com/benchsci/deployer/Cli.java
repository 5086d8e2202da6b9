package com.benchsci.deployer;

import com.benchsci.deployer.aws.AwsTarget;
import com.benchsci.deployer.aws.LocalEmulator;
import com.benchsci.deployer.template.GuardCheck;
import com.benchsci.deployer.template.LintCheck;
import com.benchsci.deployer.template.TemplateCheck;
import com.benchsci.deployer.tools.ToolCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar deployer.jar}: deploys cloudformation/bootstrap.yaml and stack.yaml through change sets.
 * Exit 0: deployed, reviewed or nothing to change; 1: refused or failed (one line says why); 2: bad usage;
 * 3: stopped before executing a change set that was not the reviewed one (its new review is written).
 * Subcommands {@code drift} and {@code audit} compare the deployed stacks with their code (see their classes).
 */
@Command(name = "deployer", mixinStandardHelpOptions = true,
    description = "Deploys the hello-host stacks through CloudFormation change sets (local moto by default).",
    subcommands = {DriftCommand.class, AuditCommand.class})
public final class Cli implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--env", defaultValue = "local",
      description = "local (moto emulator, dummy credentials) or prod (real AWS, default credential chain).")
  Env env;

  @Option(names = "--templates", defaultValue = "cloudformation",
      description = "Folder of bootstrap.yaml, stack.yaml and their <name>-<env>.json parameter files.")
  Path templates;

  @Option(names = "--rules", defaultValue = "guard-rules",
      description = "Folder of the cfn-guard policy rules (checked here, and published for the Guard Hook).")
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

  @Option(names = "--refresh-image", arity = "0..1",
      description = "Resolve the host image from its public SSM parameter again (replaces the instance when AWS"
          + " published a new one). Without it, an existing stack keeps the image it runs.")
  boolean refreshImage;

  @Option(names = "--reviewed-digests", defaultValue = "any", paramLabel = "STACK=SHA256,...|any",
      description = "Execute only change sets whose digest is the reviewed one for their stack (the review's"
          + " review-digests.txt); else write the new review and exit 3. 'any' (default): no such check.")
  String reviewedDigests;

  @Option(names = "--wait-minutes", defaultValue = "30", description = "Longest wait for one stack operation.")
  long waitMinutes;

  enum Env { local, prod }

  private static final SecureRandom RANDOM = new SecureRandom();

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return new CommandLine(new Cli()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Deployer.Settings settings = new Deployer.Settings(templates, rules, appJar, env == Env.prod, execute, reviewFile,
        endpoint, Duration.ofMinutes(waitMinutes), refreshImage, reviewedDigests);
    return reportingErrors(spec, () -> {
      Deployer.deploy(settings, Deployer.Checked.NOTHING, out);
      return 0;
    });
  }

  /**
   * Runs {@code command}; a refusal or failure becomes one "ERROR:" line and exit code 1, a stop before unreviewed
   * changes one "STOPPED:" line and exit code 3.
   */
  static int reportingErrors(CommandSpec spec, Callable<Integer> command) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return command.call();
    } catch (UnreviewedChangesException e) {
      out.flush();
      err.println("STOPPED: " + e.getMessage());
      return 3;
    } catch (RuntimeException e) {
      String problem = Deployer.problem(e);
      if (problem == null) {
        throw e;
      }
      out.flush();
      err.println("ERROR: " + problem);
      return 1;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** {@code any}: null (no check); else {@code stack=sha256} pairs, comma-separated (empty: nothing reviewed). */
  public static Map<String, String> reviewedDigests(String value) {
    if (value.equals("any")) {
      return null;
    }
    Map<String, String> digests = new LinkedHashMap<>();
    for (String pair : value.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] parts = pair.trim().split("=", 2);
      if (parts.length != 2 || !parts[1].matches("[0-9a-f]{64}")) {
        throw new DeployException("--reviewed-digests: '" + pair
            + "' is not STACK=<64 hex digits> (the content of review-digests.txt)");
      }
      digests.put(parts[0], parts[1]);
    }
    return digests;
  }

  /** prod: AWS through the default chains; local: --endpoint, else $AWS_ENDPOINT_URL, else the local moto. */
  static AwsTarget target(Env env, URI endpoint, PrintWriter out) {
    if (env == Env.prod) {
      return AwsTarget.aws();
    }
    if (endpoint != null) {
      return AwsTarget.emulator(endpoint);
    }
    String fromEnv = System.getenv("AWS_ENDPOINT_URL");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return AwsTarget.emulator(URI.create(fromEnv));
    }
    return AwsTarget.emulator(LocalEmulator.endpoint(ToolCache.standard(), out));
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

  /**
   * The run id, also the change-set name and client token: hello-host-<commit>-<UTC time>-<random>, traceable to the
   * commit and unique per run even for runs started in the same second.
   */
  static String changeSetName() {
    String commit = System.getenv("CIRCLE_SHA1");
    if (commit == null || commit.isBlank()) {
      commit = gitHead();
    }
    String time = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC));
    String safe = commit.replaceAll("[^A-Za-z0-9]", "");
    return "hello-host-" + (safe.isEmpty() ? "nocommit" : safe.substring(0, Math.min(12, safe.length()))) + "-" + time
        + "-" + HexFormat.of().toHexDigits(RANDOM.nextInt());
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
