package com.benchsci.maven;

import com.benchsci.deployer.Deployer;
import java.io.PrintWriter;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Checks bootstrap.yaml and stack.yaml with cfn-lint and the cfn-guard policy rules (the pinned tools, installed
 * into the tool cache when missing) and fails on any finding. Bound to {@code verify}; a deploy later in the same
 * build does not check the same bytes again.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class CheckMojo extends StacksMojo {

  /** Where the deploy goals of the same build find what this goal checked. */
  static final String CHECKED = "hello-host.checked";

  @Override
  @SuppressWarnings("unchecked")
  void run(PrintWriter out) {
    getPluginContext().put(CHECKED, Deployer.check(templates.toPath(), rules.toPath(), out));
  }
}
