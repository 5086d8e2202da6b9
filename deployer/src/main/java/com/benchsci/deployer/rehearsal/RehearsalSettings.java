package com.benchsci.deployer.rehearsal;

import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.Destination;
import com.benchsci.deployer.core.Environment;
import com.benchsci.deployer.core.RunId;
import com.benchsci.deployer.core.Sources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One rehearsal: what it deploys ({@code sources}: the templates, rules and app jar of a deploy), where (local, the
 * default, or sandbox: never prod), under which id, a new deploy run id for each of its deploys ({@code runs}, the
 * entry point's, so the change sets name the commit), the longest wait for one operation, and the folder for what it
 * writes (the second jar, the audit documents).
 */
public record RehearsalSettings(Sources sources, Destination destination, RehearsalId id, Supplier<RunId> runs,
    Duration waitLimit, Path workDir) {

  public RehearsalSettings {
    Objects.requireNonNull(sources, "sources");
    Objects.requireNonNull(id, "id");
    refuseProd(destination);
  }

  /** The rehearsal creates, breaks and deletes stacks: the prod environment is refused before anything happens. */
  public static void refuseProd(Destination destination) {
    if (destination.environment() == Environment.prod) {
      throw new DeployException("the rehearsal never runs on prod (--env prod / -Dcfn.env=prod): it creates, breaks"
          + " and deletes stacks; use --env sandbox (-Dcfn.env=sandbox) with credentials of a sandbox account, or the"
          + " local emulator (the default)");
    }
  }
}
