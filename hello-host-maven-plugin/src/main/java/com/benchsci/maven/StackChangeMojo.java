package com.benchsci.maven;

import com.benchsci.deployer.api.Checked;
import com.benchsci.deployer.api.Deployer;
import com.benchsci.deployer.core.DeploySettings;
import com.benchsci.deployer.core.DriftChoice;
import com.benchsci.deployer.core.ImageChoice;
import com.benchsci.deployer.core.Mode;
import com.benchsci.deployer.core.ReviewedDigests;
import com.benchsci.deployer.core.Sources;
import com.benchsci.deployer.deploy.DeployOutcome;
import com.benchsci.deployer.launch.Invocation;
import java.io.File;
import java.time.Duration;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** What deploy and review share: where the change sets go and what they carry. */
abstract class StackChangeMojo extends TargetMojo {

  /** The app jar to upload under its content address and pass to the stack as {@code ArtifactKey} (required). */
  @Parameter(property = "cfn.appJar")
  File appJar;

  /**
   * Where the Markdown review of the change sets goes when nothing is executed; review-comment.md (the pull request's
   * comment) and review-digests.txt go beside it.
   */
  @Parameter(property = "cfn.reviewFile", defaultValue = "${project.build.directory}/review.md", required = true)
  File reviewFile;

  /**
   * Resolve the host image from its public SSM parameter again (replaces the instance when AWS published a new
   * one). Otherwise an existing stack keeps the image it runs.
   */
  @Parameter(property = "cfn.refreshImage", defaultValue = "false", required = true)
  boolean refreshImage;

  /**
   * Put what was changed by hand back to the templates: a drift-aware change set ({@code DeploymentMode
   * REVERT_DRIFT}), reviewed like any other. On AWS only: an emulator that cannot make one is refused.
   */
  @Parameter(property = "cfn.revertDrift", defaultValue = "false", required = true)
  boolean revertDrift;

  /**
   * Execute only change sets whose digest is the reviewed one for their stack: {@code STACK=SHA256,...}, the
   * review's review-digests.txt; else the new review is written and the goal fails. {@code any}: no such check.
   */
  @Parameter(property = "cfn.reviewedDigests", defaultValue = "any", required = true)
  String reviewedDigests;

  /** Longest wait for one stack operation, in minutes. */
  @Parameter(property = "cfn.waitMinutes", defaultValue = "30", required = true)
  int waitMinutes;

  /** Deploys or reviews; a deploy that stopped before an unreviewed change set fails the goal. */
  void change(Mode mode, Deployer deployer, Invocation invocation) throws MojoFailureException {
    required(appJar, "cfn.appJar");
    DeploySettings settings = DeploySettings.builder(
            new Sources(templates.toPath(), rules.toPath(), appJar.toPath()), destination(invocation),
            invocation.newRun(mode))
        .mode(mode)
        .reviewed(ReviewedDigests.parse(reviewedDigests))
        .image(refreshImage ? ImageChoice.REFRESH : ImageChoice.KEEP)
        .drift(revertDrift ? DriftChoice.REVERT : DriftChoice.KEEP)
        .waitLimit(Duration.ofMinutes(waitMinutes))
        .reviewFile(reviewFile.toPath())
        .build();
    Object checked = getPluginContext().get(CheckMojo.CHECKED);
    DeployOutcome outcome = deployer.deploy(settings, checked instanceof Checked c ? c : Checked.NOTHING);
    if (outcome.kind() == DeployOutcome.Kind.STOPPED_UNREVIEWED) {
      throw new MojoFailureException(outcome.stopReason());
    }
  }
}
