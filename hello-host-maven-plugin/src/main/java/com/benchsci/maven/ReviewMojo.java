package com.benchsci.maven;

import com.benchsci.deployer.api.Deployer;
import com.benchsci.deployer.core.Mode;
import com.benchsci.deployer.launch.Invocation;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Reviews the stacks: creates the same change sets as a deploy, writes them as Markdown to {@code reviewFile},
 * deletes them and executes nothing (the pull-request review). On its own it runs the plugin and the app jar of
 * the last {@code ./mvnw install}: {@code ./mvnw hello-host:review -Pprod}; in one build,
 * {@code ./mvnw deploy -Pprod -Dcfn.execute=false} does the same through the deploy goal.
 */
@Mojo(name = "review", threadSafe = true)
public class ReviewMojo extends StackChangeMojo {

  @Override
  void run(Deployer deployer, Invocation invocation) throws MojoFailureException {
    change(Mode.REVIEW, deployer, invocation);
  }
}
