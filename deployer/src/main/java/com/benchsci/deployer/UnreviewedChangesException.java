package com.benchsci.deployer;

/** A deploy stopped before executing a change set whose digest was not the reviewed one: it needs a new review. */
final class UnreviewedChangesException extends DeployException {

  UnreviewedChangesException(String message) {
    super(message);
  }
}
