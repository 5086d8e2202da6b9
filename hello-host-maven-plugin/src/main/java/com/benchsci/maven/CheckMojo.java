package com.benchsci.maven;

import com.benchsci.deployer.api.Deployer;
import com.benchsci.deployer.launch.Invocation;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Checks bootstrap.yaml and stack.yaml with cfn-lint and the cfn-guard policy rules (the pinned tools, installed
 * into the tool cache when missing) and fails on any finding. Bound to {@code verify}. When the templates, the
 * rules and the tool versions are byte for byte those of the last pass (recorded in
 * {@code target/hello-host-check.sha256}; {@code clean} forgets it), the tools are not run again; a deploy later in
 * the same build does not check what this goal passed either.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class CheckMojo extends StacksMojo {

  /** Where the deploy goals of the same build find what this goal checked. */
  static final String CHECKED = "hello-host.checked";

  @Override
  @SuppressWarnings("unchecked")
  void run(Deployer deployer, Invocation invocation) {
    Path record = Path.of(project.getBuild().getDirectory(), "hello-host-check.sha256");
    getPluginContext().put(CHECKED, deployer.check(templates.toPath(), rules.toPath(), record));
  }
}
