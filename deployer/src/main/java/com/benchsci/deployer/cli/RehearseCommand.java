package com.benchsci.deployer.cli;

import com.benchsci.deployer.api.Checked;
import com.benchsci.deployer.core.Environment;
import com.benchsci.deployer.core.Mode;
import com.benchsci.deployer.core.Sources;
import com.benchsci.deployer.launch.Invocation;
import com.benchsci.deployer.rehearsal.RehearsalId;
import com.benchsci.deployer.rehearsal.RehearsalSettings;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer rehearse}: the product's whole life under names of its own, one row per step, then deleted. */
@Command(name = "rehearse", mixinStandardHelpOptions = true,
    description = "Creates both stacks under unique names, checks the greeting, rolls out a new jar, opens a port by"
        + " hand (audit, Guard Hook, drift), terminates and recovers the host, then deletes everything it made and"
        + " prints one row per step. Local emulator by default; --env sandbox for a sandbox AWS account, never prod."
        + " Exit 0 passed (steps the endpoint cannot do say so), 7 a step failed, 1 error.")
final class RehearseCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--env", defaultValue = "local",
      description = "local (the emulator, default) or sandbox (AWS through the default credential chain: a sandbox"
          + " account only); prod is refused.")
  Environment env;

  @Option(names = "--endpoint", description = "Local only: the AWS API emulator (default: $AWS_ENDPOINT_URL,"
      + " else the moto server of the local deploy, started when there is none).")
  URI endpoint;

  @Option(names = "--templates", defaultValue = "cloudformation",
      description = "Folder of the templates and their <name>-<env>.json parameter files.")
  Path templates;

  @Option(names = "--rules", defaultValue = "guard-rules", description = "Folder of the cfn-guard policy rules.")
  Path rules;

  @Option(names = "--app-jar", defaultValue = "vertx-app/target/vertx-app.jar",
      description = "The app to deploy (the rehearsal derives the second version from it).")
  Path appJar;

  @Option(names = "--work-dir", defaultValue = "cloudformation/target/rehearsal",
      description = "Where the second jar and the audit documents go.")
  Path workDir;

  @Option(names = "--wait-minutes", defaultValue = "30", description = "Longest wait for one stack operation.")
  long waitMinutes;

  @Option(names = "--cleanup", paramLabel = "ID",
      description = "Only delete what rehearsal ID (hello-rh-...) made: finishes the clean-up of a killed run.")
  String cleanup;

  @Override
  public Integer call() {
    return Cli.run(spec, deployer -> {
      Invocation invocation = Cli.invocation();
      Duration wait = Duration.ofMinutes(waitMinutes);
      if (cleanup != null) {
        return ExitCode.of(deployer.cleanUpRehearsal(invocation.destination(env, endpoint),
            new RehearsalId(cleanup), wait));
      }
      RehearsalSettings settings = new RehearsalSettings(new Sources(templates, rules, appJar),
          invocation.destination(env, endpoint), RehearsalId.create(new SecureRandom()),
          () -> invocation.newRun(Mode.DEPLOY), wait, workDir);
      return ExitCode.of(deployer.rehearse(settings, Checked.NOTHING));
    });
  }
}
