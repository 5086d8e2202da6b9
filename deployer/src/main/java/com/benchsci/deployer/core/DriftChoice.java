package com.benchsci.deployer.core;

/** What a deploy does to what was changed by hand on its stacks (drift). */
public enum DriftChoice {
  /**
   * An ordinary change set: it compares the templates, not the live state, so what was changed by hand stays unless
   * the change rewrites it; the review lists each hand-made change with what the deploy does to it.
   */
  KEEP,
  /**
   * A drift-aware change set ({@code DeploymentMode REVERT_DRIFT}): the deploy puts the live resources back to the
   * template, reviewed like any other change. Refused where the endpoint cannot make one (moto).
   */
  REVERT
}
