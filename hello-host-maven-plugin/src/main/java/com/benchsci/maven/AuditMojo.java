package com.benchsci.maven;

import com.benchsci.deployer.api.Deployer;
import com.benchsci.deployer.launch.Invocation;
import java.io.File;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks every security group attached to the host, read over the EC2 API, with the cfn-guard firewall rules;
 * writes the Markdown report and fails on a violation.
 */
@Mojo(name = "audit", threadSafe = true)
public class AuditMojo extends TargetMojo {

  /** The Markdown audit report. */
  @Parameter(property = "cfn.auditReport", defaultValue = "${project.build.directory}/audit.md", required = true)
  File report;

  /** Where the firewall read from EC2 is written, as the template the rules judge. */
  @Parameter(property = "cfn.auditDocument", defaultValue = "${project.build.directory}/audit-firewall.yaml",
      required = true)
  File document;

  @Override
  void run(Deployer deployer, Invocation invocation) throws MojoFailureException {
    if (!deployer.audit(destination(invocation), rules.toPath(), document.toPath(), report.toPath()).passed()) {
      throw new MojoFailureException("the live firewall violates the policy: see " + report);
    }
  }
}
