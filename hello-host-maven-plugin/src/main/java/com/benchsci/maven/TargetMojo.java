package com.benchsci.maven;

import com.benchsci.deployer.core.Destination;
import com.benchsci.deployer.core.Environment;
import com.benchsci.deployer.launch.Invocation;
import java.net.URI;
import org.apache.maven.plugins.annotations.Parameter;

/** What every goal that talks to AWS (or the emulator) shares: where that is. */
abstract class TargetMojo extends StacksMojo {

  /**
   * {@code local}: an AWS API emulator (moto) with dummy credentials; {@code prod}: real AWS, credentials and
   * region from the default chains.
   */
  @Parameter(property = "cfn.env", defaultValue = "local", required = true)
  Environment env;

  /**
   * Local only: the AWS API emulator to use. Default: {@code $AWS_ENDPOINT_URL}, else a moto server that the
   * deploy starts and leaves running (recorded in the tool cache) so that the next deploy finds the stacks.
   */
  @Parameter(property = "cfn.endpoint")
  String endpoint;

  Destination destination(Invocation invocation) {
    return invocation.destination(env, endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint));
  }
}
