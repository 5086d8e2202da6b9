package com.benchsci.deployer.stack;

/**
 * What a stack's current status means for the next deploy. Decided before any change set is created, so a stack
 * that cannot take one gets a clear instruction instead of an API error.
 */
public enum StackState {
  /** No stack, or a placeholder left by an unexecuted CREATE change set: create it. */
  CREATE,
  /** A stable stack: update it through a change set. */
  UPDATE,
  /** A failed first create (ROLLBACK_COMPLETE) cannot be updated: delete it, then create it. */
  RECREATE,
  /** Another operation is running: the deploy refuses, naming the run that holds the stack (RunLease). */
  BUSY,
  /** UPDATE_ROLLBACK_FAILED: only continue-update-rollback gets it moving again. */
  ROLLBACK_STUCK,
  /** A failed state that needs a human (DELETE_FAILED, ROLLBACK_FAILED, ...). */
  BROKEN;

  /** {@code status} is the stack's StackStatus, or null when there is no such stack. */
  public static StackState of(String status) {
    if (status == null || status.equals("REVIEW_IN_PROGRESS") || status.equals("DELETE_COMPLETE")) {
      return CREATE;
    }
    if (status.equals("ROLLBACK_COMPLETE")) {
      return RECREATE;
    }
    if (status.equals("UPDATE_ROLLBACK_FAILED")) {
      return ROLLBACK_STUCK;
    }
    if (status.endsWith("_IN_PROGRESS")) {
      return BUSY;
    }
    if (status.endsWith("_COMPLETE")) {
      return UPDATE;
    }
    return BROKEN;
  }

  /** How an operation that was started on the stack ended, judged from the stack's status. */
  public enum Outcome { RUNNING, SUCCEEDED, FAILED }

  public static Outcome outcome(String status) {
    if (status.endsWith("_IN_PROGRESS")) {
      return Outcome.RUNNING;
    }
    return switch (status) {
      case "CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE" -> Outcome.SUCCEEDED;
      default -> Outcome.FAILED;
    };
  }
}
