package com.benchsci.deployer.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * "Nothing to change" as CloudFormation words it: the FAILED status reason of an empty change set, and the
 * ValidationError of an update with nothing to do (texts as AWS returns them, see docs/aws-contract.md).
 */
class NoChangesTest {

  @Test
  void anEmptyChangeSetsStatusReasonMeansNoChanges() {
    assertThat(NoChanges.means("The submitted information didn't contain changes. Submit different information to"
        + " create a change set.")).isTrue();
    assertThat(NoChanges.means("No updates are to be performed.")).isTrue();
  }

  @Test
  void aRealFailureIsNot() {
    assertThat(NoChanges.means("Template format error: Unresolved resource dependencies [Vpc]")).isFalse();
    assertThat(NoChanges.means("")).isFalse();
    assertThat(NoChanges.means(null)).isFalse();
  }
}
