package com.benchsci.deployer.cli;

import com.benchsci.deployer.core.Destination;
import com.benchsci.deployer.core.Environment;
import java.net.URI;
import picocli.CommandLine.Option;

/** Where {@code drift} and {@code audit} look: the same --env and --endpoint as a deploy. */
final class TargetOptions {

  @Option(names = "--env", defaultValue = "local",
      description = "local (the emulator of a local deploy) or prod (real AWS, default credential chain).")
  Environment env;

  @Option(names = "--endpoint", description = "Local only: the AWS API emulator (default: $AWS_ENDPOINT_URL,"
      + " else the moto server recorded by the local deploy).")
  URI endpoint;

  Destination destination() {
    return Cli.invocation().destination(env, endpoint);
  }
}
