package com.benchsci.deployer.emulator;

import com.benchsci.deployer.testing.Tools;
import java.nio.file.Path;

/** A JVM that starts a moto server, prints its pid and waits to be signalled: {@code MotoHolder keep|own LOG}. */
public final class MotoHolder {

  private MotoHolder() {}

  public static void main(String[] args) throws InterruptedException {
    MotoServer moto = MotoServer.start(Tools.cache(), Path.of(args[1]));
    if (args[0].equals("keep")) {
      moto.keepRunning();
    }
    System.out.println(moto.pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
