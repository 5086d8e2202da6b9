package com.benchsci.deployer.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer drift}: CloudFormation drift detection on both stacks, report written. */
@Command(name = "drift", mixinStandardHelpOptions = true,
    description = "Detects changes made outside CloudFormation on both stacks. Exit 0 in sync, 5 drift found,"
        + " 4 detection failed (e.g. an emulator without drift detection), 1 error.")
final class DriftCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  TargetOptions target;

  @Option(names = "--report", defaultValue = "cloudformation/target/drift.md", description = "The Markdown report.")
  Path report;

  @Option(names = "--wait-minutes", defaultValue = "10", description = "Longest wait for one stack's detection.")
  long waitMinutes;

  @Override
  public Integer call() {
    return Cli.run(spec, deployer -> ExitCode.of(
        deployer.drift(target.destination(), Duration.ofMinutes(waitMinutes), report)));
  }
}
