package com.benchsci.maven;

import com.benchsci.deployer.api.Deployer;
import com.benchsci.deployer.launch.Invocation;
import java.io.File;
import java.io.PrintWriter;
import java.util.Locale;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What every goal shares: the templates and the policy rules, the deployer's output on Maven's log, and its
 * failures as build failures carrying the deployer's one line. A goal parses its own input (its parameters, the
 * environment through {@link Invocation}) and calls the library ({@link Deployer}) with plain values.
 */
abstract class StacksMojo extends AbstractMojo {

  /** Skip the goal: nothing is checked, deployed or read. */
  @Parameter(property = "hello-host.skip", defaultValue = "false")
  boolean skip;

  /** Folder of bootstrap.yaml, stack.yaml and their parameter files (stack-local.json, stack-prod.json, ...). */
  @Parameter(property = "cfn.templates", defaultValue = "${project.basedir}", required = true)
  File templates;

  /** Folder of the cfn-guard policy rules (required). */
  @Parameter(property = "cfn.rules")
  File rules;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
  PluginDescriptor plugin;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping hello-host:" + goal() + " (hello-host.skip)");
      return;
    }
    if (!project.getBuild().getPluginsAsMap().containsKey(plugin.getPluginLookupKey())) {
      // `./mvnw hello-host:<goal>` runs in every module of the reactor; only the stacks' module declares the plugin.
      getLog().info("Nothing to do in " + project.getArtifactId() + ": it does not declare "
          + plugin.getArtifactId());
      return;
    }
    // Not `required` for Maven: a module that does not declare the plugin has no configuration to give.
    required(rules, "cfn.rules");
    Invocation invocation = Invocation.of(project.getBasedir().toPath());
    try (PrintWriter out = new PrintWriter(new LogWriter(getLog()))) {
      run(new Deployer(invocation.toolCache(), out), invocation);
    } catch (RuntimeException e) {
      String problem = Deployer.problem(e);
      if (problem == null) {
        throw new MojoExecutionException(e.getMessage(), e);
      }
      // Without the cause: Maven would append its message, and the one line is the whole story.
      throw new MojoFailureException(problem);
    }
  }

  abstract void run(Deployer deployer, Invocation invocation) throws MojoFailureException;

  private String goal() {
    return getClass().getSimpleName().replace("Mojo", "").toLowerCase(Locale.ROOT);
  }

  static void required(Object value, String property) throws MojoFailureException {
    if (value == null) {
      throw new MojoFailureException(property + " is not set: configure it in cloudformation/pom.xml or pass -D"
          + property + "=...");
    }
  }
}
