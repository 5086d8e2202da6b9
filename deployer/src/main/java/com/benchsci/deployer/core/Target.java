package com.benchsci.deployer.core;

import java.net.URI;

/**
 * The AWS API a run talks to: AWS itself in a region ({@code endpoint} null), or an emulator at {@code endpoint}.
 * Both get the same clients and the same code path; what differs is kept behind the emulator quirks.
 */
public record Target(URI endpoint, String region) {

  public static Target aws(String region) {
    return new Target(null, region);
  }

  public static Target emulator(URI endpoint, String region) {
    return new Target(endpoint, region);
  }

  public boolean isEmulator() {
    return endpoint != null;
  }

  public String describe() {
    return isEmulator() ? "emulator at " + endpoint + " (" + region + ")" : "AWS " + region;
  }
}
