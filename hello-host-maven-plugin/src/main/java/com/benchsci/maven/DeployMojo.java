package com.benchsci.maven;

import com.benchsci.deployer.api.Deployer;
import com.benchsci.deployer.core.Mode;
import com.benchsci.deployer.launch.Invocation;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Deploys the stacks through change sets: checks both templates (unless this build's check goal already did),
 * then the bootstrap stack, the app jar under its content address, the app stack; each change set shown as a
 * table, executed, its events streamed and the outputs printed. Bound to {@code deploy}.
 */
@Mojo(name = "deploy", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class DeployMojo extends StackChangeMojo {

  /** false: review instead (the review goal): create, render and delete the change sets, execute nothing. */
  @Parameter(property = "cfn.execute", defaultValue = "true", required = true)
  boolean execute;

  @Override
  void run(Deployer deployer, Invocation invocation) throws MojoFailureException {
    change(execute ? Mode.DEPLOY : Mode.REVIEW, deployer, invocation);
  }
}
