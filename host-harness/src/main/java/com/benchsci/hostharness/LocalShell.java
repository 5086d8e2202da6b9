package com.benchsci.hostharness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** This machine's own commands, with this process's environment: what cfn-init's commands see on the instance. */
public final class LocalShell implements Shell {

  @Override
  public Cmd.Result exec(Duration timeout, String... argv) {
    return Cmd.run(timeout, List.of(argv));
  }

  @Override
  public Cmd.Result execWithInput(Duration timeout, Path stdin, String... argv) {
    return Cmd.run(timeout, stdin, List.of(argv));
  }
}
