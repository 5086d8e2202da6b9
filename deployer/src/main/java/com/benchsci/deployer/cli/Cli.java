package com.benchsci.deployer.cli;

import com.benchsci.deployer.api.Checked;
import com.benchsci.deployer.api.Deployer;
import com.benchsci.deployer.core.DeploySettings;
import com.benchsci.deployer.core.DriftChoice;
import com.benchsci.deployer.core.Environment;
import com.benchsci.deployer.core.ImageChoice;
import com.benchsci.deployer.core.Mode;
import com.benchsci.deployer.core.ReviewedDigests;
import com.benchsci.deployer.core.Sources;
import com.benchsci.deployer.deploy.DeployOutcome;
import com.benchsci.deployer.launch.Invocation;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code java -jar deployer.jar}: deploys cloudformation/bootstrap.yaml and stack.yaml through change sets, or
 * reviews them; subcommands {@code drift} and {@code audit} compare the deployed stacks with their code,
 * {@code rehearse} runs the product's whole life under names of its own (docs/rehearsal.md). It parses
 * its input (options, environment variables, git's HEAD), calls the library with plain values and maps the typed
 * outcome to an {@link ExitCode}.
 */
@Command(name = "deployer", mixinStandardHelpOptions = true,
    description = "Deploys the hello-host stacks through CloudFormation change sets (local moto by default).",
    subcommands = {DriftCommand.class, AuditCommand.class, RehearseCommand.class})
public final class Cli implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--env", defaultValue = "local",
      description = "local (moto emulator, dummy credentials) or prod (real AWS, default credential chain).")
  Environment env;

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
      description = "Where the Markdown review goes when --execute=false; review-comment.md (the pull request's"
          + " comment) and review-digests.txt beside it.")
  Path reviewFile;

  @Option(names = "--endpoint", description = "Local only: an AWS API emulator to use (default: $AWS_ENDPOINT_URL,"
      + " else a moto server started and kept running by the deployer).")
  URI endpoint;

  @Option(names = "--refresh-image", arity = "0..1",
      description = "Resolve the host image from its public SSM parameter again (replaces the instance when AWS"
          + " published a new one). Without it, an existing stack keeps the image it runs.")
  boolean refreshImage;

  @Option(names = "--revert-drift", arity = "0..1",
      description = "Put what was changed by hand back to the templates: a drift-aware change set (DeploymentMode"
          + " REVERT_DRIFT), reviewed like any other. On AWS only: an emulator that cannot make one is refused.")
  boolean revertDrift;

  @Option(names = "--reviewed-digests", defaultValue = "any", paramLabel = "STACK=SHA256,...|any",
      description = "Execute only change sets whose digest is the reviewed one for their stack (the review's"
          + " review-digests.txt); else write the new review and exit 3. 'any' (default): no such check.")
  String reviewedDigests;

  @Option(names = "--wait-minutes", defaultValue = "30", description = "Longest wait for one stack operation.")
  long waitMinutes;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return new CommandLine(new Cli()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() {
    return run(spec, deployer -> {
      Invocation invocation = invocation();
      Mode mode = execute ? Mode.DEPLOY : Mode.REVIEW;
      DeploySettings settings = DeploySettings.builder(new Sources(templates, rules, appJar),
              invocation.destination(env, endpoint), invocation.newRun(mode))
          .mode(mode)
          .reviewed(ReviewedDigests.parse(reviewedDigests))
          .image(refreshImage ? ImageChoice.REFRESH : ImageChoice.KEEP)
          .drift(revertDrift ? DriftChoice.REVERT : DriftChoice.KEEP)
          .waitLimit(Duration.ofMinutes(waitMinutes))
          .reviewFile(reviewFile)
          .build();
      DeployOutcome outcome = deployer.deploy(settings, Checked.NOTHING);
      if (outcome.kind() == DeployOutcome.Kind.STOPPED_UNREVIEWED) {
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().println("STOPPED: " + outcome.stopReason());
      }
      return ExitCode.of(outcome);
    });
  }

  /** This process, run from the current folder (the repository root, where the defaults point). */
  static Invocation invocation() {
    return Invocation.of(Path.of("").toAbsolutePath());
  }

  /**
   * Runs {@code command} with a deployer writing to the command's output; a refusal or failure becomes one "ERROR:"
   * line and {@link ExitCode#FAILED}; a defect keeps its stack trace.
   */
  static int run(CommandSpec spec, Function<Deployer, ExitCode> command) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return command.apply(new Deployer(invocation().toolCache(), out)).code();
    } catch (RuntimeException e) {
      String problem = Deployer.problem(e);
      if (problem == null) {
        throw e;
      }
      out.flush();
      err.println("ERROR: " + problem);
      return ExitCode.FAILED.code();
    } finally {
      out.flush();
      err.flush();
    }
  }
}
