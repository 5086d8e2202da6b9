package com.benchsci.maven;

import java.io.PrintWriter;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Reviews the stacks: creates the same change sets as a deploy, writes them as Markdown to {@code reviewFile},
 * deletes them and executes nothing (the pull-request review). Needs the app jar, so run it after
 * {@code package}: {@code ./mvnw package hello-host:review -Pprod -DskipTests}.
 */
@Mojo(name = "review", threadSafe = true)
public class ReviewMojo extends StackChangeMojo {

  @Override
  void run(PrintWriter out) throws MojoFailureException {
    change(false, out);
  }
}
