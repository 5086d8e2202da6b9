package com.benchsci.deployer.emulator;

import com.benchsci.deployer.core.Target;
import com.benchsci.deployer.stack.EmulatorQuirks;

/** The quirks of a target: none on AWS; on an emulator endpoint, moto's (the only emulator the build runs). */
public final class Quirks {

  private Quirks() {}

  public static EmulatorQuirks of(Target target) {
    return target.isEmulator() ? new MotoQuirks(target.endpoint()) : EmulatorQuirks.NONE;
  }
}
