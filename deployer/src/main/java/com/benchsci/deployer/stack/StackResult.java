package com.benchsci.deployer.stack;

import java.util.Objects;

/**
 * How a deploy of one stack ended when it did not fail: {@code changes} as shown, {@code note} what the deployer
 * found before (empty if nothing), {@code digest} of what was shown ({@link ChangeSetDigest}), empty when nothing was,
 * and the review's {@code assessment} of the change (for no changes, the hand-made changes it keeps).
 */
public record StackResult(Kind kind, ChangeTable changes, String note, String digest, Assessment assessment) {

  public enum Kind {
    /** A change set was executed: its digest was the reviewed one, or no review was asked for. */
    CHANGED,
    /** CloudFormation (or the deployer, on an emulator) found nothing to change. */
    NO_CHANGES,
    /** Shown only: a review. */
    REVIEWED,
    /** Shown and not executed: not the reviewed change set. */
    UNREVIEWED
  }

  public StackResult {
    Objects.requireNonNull(assessment, "assessment");
  }

  public static StackResult noChanges(Assessment assessment) {
    return new StackResult(Kind.NO_CHANGES, ChangeTable.EMPTY, "", "", assessment);
  }

  /** The stack is what its template says afterwards: changed now, or already. */
  public boolean deployed() {
    return kind == Kind.CHANGED || kind == Kind.NO_CHANGES;
  }
}
