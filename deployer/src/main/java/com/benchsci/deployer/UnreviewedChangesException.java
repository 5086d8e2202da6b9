package com.benchsci.deployer;

/** A deploy stopped before executing a change set whose digest was not the reviewed one: it needs a new review. */
public final class UnreviewedChangesException extends DeployException {

  public UnreviewedChangesException(String message) {
    super(message);
  }
}
