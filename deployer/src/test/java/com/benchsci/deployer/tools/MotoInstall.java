package com.benchsci.deployer.tools;

import java.nio.file.Path;
import java.util.Properties;

/**
 * A JVM that asks a tool cache for moto at a given pin, as a deploy does on its first run: {@code MotoInstall CACHE
 * VERSION}. Prints the command it was given (exit 0), or the error (exit 1).
 */
public final class MotoInstall {

  private MotoInstall() {}

  public static void main(String[] args) {
    Properties pins = ToolCache.loadVersions();
    pins.setProperty("moto", args[1]);
    try {
      System.out.println(String.join(" ", new ToolCache(Path.of(args[0]), pins).motoServer()));
    } catch (RuntimeException e) {
      System.out.println("FAILED: " + e.getMessage());
      System.exit(1);
    }
  }
}
