package com.benchsci.deployer.core;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a deploy goes, as the user names it ({@code --env}, {@code -Dcfn.env}); also the suffix of the parameter
 * files ({@code stack-<env>.json}). The constants are lower case because they are those names.
 */
public enum Environment {
  /** An AWS API emulator (a moto server) with dummy credentials: nothing there is worth protecting. */
  local(EnumSet.noneOf(Safeguard.class)),
  /** Real AWS through the default credential and region chains, with every safeguard. */
  prod(EnumSet.allOf(Safeguard.class)),
  /**
   * Real AWS in a sandbox account (the rehearsal's target, docs/rehearsal.md): the same chains as prod, the greeting
   * checked, but no termination protection, since what goes there is deleted again.
   */
  sandbox(EnumSet.of(Safeguard.GREETING_CHECK));

  private final EnumSet<Safeguard> safeguards;

  Environment(EnumSet<Safeguard> safeguards) {
    this.safeguards = safeguards;
  }

  /** Whether this environment is real AWS, reached through the default credential and region chains. */
  public boolean isAws() {
    return this != local;
  }

  /** What a deploy to this environment does beyond the change sets. */
  public Set<Safeguard> safeguards() {
    return EnumSet.copyOf(safeguards);
  }
}
