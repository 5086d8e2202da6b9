package com.benchsci.deployer.stack;

/**
 * How a deploy of one stack ended when it did not fail: {@code changes} as shown, {@code note} what the deployer
 * found before (empty if nothing), {@code digest} of what was shown ({@link ChangeSetDigest}), empty when nothing was.
 */
public record StackResult(Kind kind, ChangeTable changes, String note, String digest) {

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

  public static StackResult noChanges() {
    return new StackResult(Kind.NO_CHANGES, ChangeTable.EMPTY, "", "");
  }

  /** The stack is what its template says afterwards: changed now, or already. */
  public boolean deployed() {
    return kind == Kind.CHANGED || kind == Kind.NO_CHANGES;
  }
}
