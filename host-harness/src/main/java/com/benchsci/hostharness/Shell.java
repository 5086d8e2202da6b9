package com.benchsci.hostharness;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where commands of a host run: inside a booted container from this machine ({@link NspawnContainer}), or on the
 * machine the program itself runs on ({@link LocalShell}, which the stand-ins use inside the container). The
 * {@link CfnInitApplier} applies cfn-init metadata through either.
 */
public interface Shell {

  /** Runs {@code argv} as root and waits for it, at most {@code timeout}. */
  Cmd.Result exec(Duration timeout, String... argv);

  /** Like {@link #exec}, with the file {@code stdin} as its input. */
  Cmd.Result execWithInput(Duration timeout, Path stdin, String... argv);

  /** Runs a shell script. */
  default Cmd.Result sh(Duration timeout, String script) {
    return exec(timeout, "/bin/sh", "-c", script);
  }
}
