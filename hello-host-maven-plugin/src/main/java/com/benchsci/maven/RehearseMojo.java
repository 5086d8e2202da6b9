package com.benchsci.maven;

import com.benchsci.deployer.api.Checked;
import com.benchsci.deployer.api.Deployer;
import com.benchsci.deployer.core.Mode;
import com.benchsci.deployer.core.Sources;
import com.benchsci.deployer.launch.Invocation;
import com.benchsci.deployer.rehearsal.RehearsalId;
import com.benchsci.deployer.rehearsal.RehearsalOutcome;
import com.benchsci.deployer.rehearsal.RehearsalSettings;
import java.io.File;
import java.security.SecureRandom;
import java.time.Duration;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The rehearsal (docs/rehearsal.md): both stacks under unique names, the greeting over HTTP and HTTPS, a new jar
 * rolled out under load, a port opened by hand (audit, Guard Hook, drift), the host terminated and recovered, then
 * everything it made deleted, also on Ctrl-C; one row per step. On the local emulator by default ({@code cfn.env}
 * local); {@code -Dcfn.env=sandbox} runs it on the AWS account of the default credential chain, which must be a
 * sandbox (prod is refused). The profile {@code rehearsal} binds it to {@code verify}: {@code ./mvnw verify
 * -Prehearsal}.
 */
@Mojo(name = "rehearse", threadSafe = true)
public class RehearseMojo extends TargetMojo {

  /** The app jar; the rehearsal derives its second version from it. */
  @Parameter(property = "cfn.appJar")
  File appJar;

  /** Where the second jar and the audit documents go. */
  @Parameter(property = "rehearsal.workDir", defaultValue = "${project.build.directory}/rehearsal", required = true)
  File workDir;

  /** Longest wait for one stack operation, in minutes. */
  @Parameter(property = "cfn.waitMinutes", defaultValue = "30", required = true)
  int waitMinutes;

  /** Only delete what rehearsal {@code hello-rh-...} made: finishes the clean-up of a run that was killed. */
  @Parameter(property = "rehearsal.cleanup")
  String cleanup;

  @Override
  void run(Deployer deployer, Invocation invocation) throws MojoFailureException {
    Duration wait = Duration.ofMinutes(waitMinutes);
    RehearsalOutcome outcome;
    if (cleanup != null && !cleanup.isBlank()) {
      outcome = deployer.cleanUpRehearsal(destination(invocation), new RehearsalId(cleanup.trim()), wait);
    } else {
      required(appJar, "cfn.appJar");
      Object checked = getPluginContext().get(CheckMojo.CHECKED);
      outcome = deployer.rehearse(new RehearsalSettings(
          new Sources(templates.toPath(), rules.toPath(), appJar.toPath()), destination(invocation),
          RehearsalId.create(new SecureRandom()), () -> invocation.newRun(Mode.DEPLOY), wait, workDir.toPath()),
          checked instanceof Checked c ? c : Checked.NOTHING);
    }
    if (!outcome.passed()) {
      throw new MojoFailureException("rehearsal " + outcome.id() + " failed: see its table above");
    }
  }
}
