package com.benchsci.deployer.stack;

import java.util.List;

/**
 * Whether CloudFormation's reason for not making a change set means "nothing to change": success, not failure.
 * Decided from the reason, not from an empty change list, as CloudFormation says it in two ways: the FAILED status
 * reason of an empty change set, and the error of an update with nothing to do.
 */
final class NoChanges {

  private static final List<String> REASONS = List.of("didn't contain changes", "No updates are to be performed");

  private NoChanges() {}

  static boolean means(String reason) {
    return reason != null && REASONS.stream().anyMatch(reason::contains);
  }
}
