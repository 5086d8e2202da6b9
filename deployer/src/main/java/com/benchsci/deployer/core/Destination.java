package com.benchsci.deployer.core;

import java.net.URI;

/**
 * Where a verb goes, as the caller found it: {@code prod} is AWS (region and credentials from the default chains);
 * {@code local} is the emulator at {@code endpoint}, or, when that is null, the local moto server (started and left
 * running when there is none). {@code emulatorRegion} is the region an emulator is asked for.
 */
public record Destination(Environment environment, URI endpoint, String emulatorRegion) {

  public static final String DEFAULT_EMULATOR_REGION = "us-east-1";

  public Destination {
    if (emulatorRegion == null || emulatorRegion.isBlank()) {
      emulatorRegion = DEFAULT_EMULATOR_REGION;
    }
  }

  public static Destination local(URI endpoint) {
    return new Destination(Environment.local, endpoint, null);
  }
}
