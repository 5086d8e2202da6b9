package com.benchsci.maven;

import com.benchsci.deployer.api.Deployer;
import com.benchsci.deployer.launch.Invocation;
import com.benchsci.deployer.live.DriftOutcome;
import java.io.File;
import java.time.Duration;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Detects changes made outside CloudFormation on both stacks (CloudFormation drift detection) and writes the
 * Markdown report; fails when drift is found or detection failed (moto has no drift detection).
 */
@Mojo(name = "drift", threadSafe = true)
public class DriftMojo extends TargetMojo {

  /** The Markdown drift report. */
  @Parameter(property = "cfn.driftReport", defaultValue = "${project.build.directory}/drift.md", required = true)
  File report;

  /** Longest wait for one stack's drift detection, in minutes. */
  @Parameter(property = "cfn.driftWaitMinutes", defaultValue = "10", required = true)
  int driftWaitMinutes;

  @Override
  void run(Deployer deployer, Invocation invocation) throws MojoFailureException {
    DriftOutcome outcome = deployer.drift(destination(invocation), Duration.ofMinutes(driftWaitMinutes),
        report.toPath());
    switch (outcome.status()) {
      case IN_SYNC -> { }
      case DRIFTED -> throw new MojoFailureException("drift found: see " + report);
      case DETECTION_FAILED -> throw new MojoFailureException("drift detection failed: see " + report);
    }
  }
}
