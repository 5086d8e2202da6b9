package com.benchsci.deployer.core;

/** Whether a run executes its change sets or only shows them. */
public enum Mode {
  /** Create, show and execute the change sets (unless a reviewed digest says otherwise). */
  DEPLOY,
  /** Create, show and delete the change sets; execute and upload nothing (the pull request's review). */
  REVIEW;

  public boolean executes() {
    return this == DEPLOY;
  }
}
