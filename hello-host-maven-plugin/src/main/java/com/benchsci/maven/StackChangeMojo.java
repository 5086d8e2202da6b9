package com.benchsci.maven;

import com.benchsci.deployer.Deployer;
import java.io.File;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** What deploy and review share: where the change sets go and what they carry. */
abstract class StackChangeMojo extends StacksMojo {

  /**
   * {@code local}: an AWS API emulator (moto) with dummy credentials; {@code prod}: real AWS, credentials and
   * region from the default chains.
   */
  @Parameter(property = "cfn.env", defaultValue = "local", required = true)
  String env;

  /** The app jar to upload under its content address and pass to the stack as {@code ArtifactKey} (required). */
  @Parameter(property = "cfn.appJar")
  File appJar;

  /** Where the Markdown review of the change sets goes when nothing is executed. */
  @Parameter(property = "cfn.reviewFile", defaultValue = "${project.build.directory}/review.md", required = true)
  File reviewFile;

  /**
   * Local only: the AWS API emulator to use. Default: {@code $AWS_ENDPOINT_URL}, else a moto server that the
   * deploy starts and leaves running (recorded in the tool cache) so that the next deploy finds the stacks.
   */
  @Parameter(property = "cfn.endpoint")
  String endpoint;

  /** Longest wait for one stack operation, in minutes. */
  @Parameter(property = "cfn.waitMinutes", defaultValue = "30", required = true)
  int waitMinutes;

  void change(boolean execute, PrintWriter out) throws MojoFailureException {
    required(appJar, "cfn.appJar");
    boolean prod = switch (env) {
      case "local" -> false;
      case "prod" -> true;
      default -> throw new MojoFailureException("cfn.env must be local or prod, not '" + env + "'");
    };
    Deployer.Settings settings = new Deployer.Settings(templates.toPath(), rules.toPath(), appJar.toPath(), prod,
        execute, reviewFile.toPath(), endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
        Duration.ofMinutes(waitMinutes));
    Object checked = getPluginContext().get(CheckMojo.CHECKED);
    Deployer.deploy(settings, checked instanceof Deployer.Checked c ? c : Deployer.Checked.NOTHING, out);
  }
}
