package com.benchsci.deployer.deploy;

import java.nio.file.Path;

/**
 * How a deploy or review ended when it did not fail, with what it showed. A review, and a deploy that stopped, leave
 * their review at {@code reviewFile}, its digests at {@code digestsFile} and the pull request's comment made of it
 * at {@code commentFile}.
 */
public record DeployOutcome(Kind kind, Review review, Path reviewFile, Path digestsFile, Path commentFile) {

  public enum Kind {
    /** Both stacks are what their templates say: changed now, or already (no changes). */
    DEPLOYED,
    /** The change sets were shown and deleted; nothing was executed or uploaded. */
    REVIEWED,
    /** A change set was not the reviewed one: it was not executed, nor anything after it; a new review is needed. */
    STOPPED_UNREVIEWED
  }

  /** Whether the review is the run's product and goes to {@code reviewFile}. */
  public boolean hasReview() {
    return kind != Kind.DEPLOYED;
  }

  /** The one line that says why a deploy stopped and what to do. */
  public String stopReason() {
    return "not the reviewed change set(s): nothing executed; the new review is " + reviewFile + ", its digests "
        + digestsFile + " (approve it, then deploy with --reviewed-digests set to them)";
  }
}
