package com.benchsci.maven;

import com.benchsci.deployer.Deployer;
import java.io.File;
import java.io.PrintWriter;
import java.time.Duration;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** What deploy and review share: where the change sets go and what they carry. */
abstract class StackChangeMojo extends TargetMojo {

  /** The app jar to upload under its content address and pass to the stack as {@code ArtifactKey} (required). */
  @Parameter(property = "cfn.appJar")
  File appJar;

  /** Where the Markdown review of the change sets goes when nothing is executed. */
  @Parameter(property = "cfn.reviewFile", defaultValue = "${project.build.directory}/review.md", required = true)
  File reviewFile;

  /**
   * Resolve the host image from its public SSM parameter again (replaces the instance when AWS published a new
   * one). Otherwise an existing stack keeps the image it runs.
   */
  @Parameter(property = "cfn.refreshImage", defaultValue = "false", required = true)
  boolean refreshImage;

  /**
   * Execute only change sets whose digest is the reviewed one for their stack: {@code STACK=SHA256,...}, the
   * review's review-digests.txt; else the new review is written and the goal fails. {@code any}: no such check.
   */
  @Parameter(property = "cfn.reviewedDigests", defaultValue = "any", required = true)
  String reviewedDigests;

  /** Longest wait for one stack operation, in minutes. */
  @Parameter(property = "cfn.waitMinutes", defaultValue = "30", required = true)
  int waitMinutes;

  void change(boolean execute, PrintWriter out) throws MojoFailureException {
    required(appJar, "cfn.appJar");
    Deployer.Settings settings = new Deployer.Settings(templates.toPath(), rules.toPath(), appJar.toPath(), prod(),
        execute, reviewFile.toPath(), endpoint(),
        Duration.ofMinutes(waitMinutes), refreshImage, reviewedDigests);
    Object checked = getPluginContext().get(CheckMojo.CHECKED);
    Deployer.deploy(settings, checked instanceof Deployer.Checked c ? c : Deployer.Checked.NOTHING, out);
  }
}
