package com.benchsci.deployer.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StackStateTest {

  @ParameterizedTest
  @CsvSource(nullValues = "none", value = {
      "none, CREATE",
      "REVIEW_IN_PROGRESS, CREATE",
      "CREATE_COMPLETE, UPDATE",
      "UPDATE_COMPLETE, UPDATE",
      "UPDATE_ROLLBACK_COMPLETE, UPDATE",
      "IMPORT_COMPLETE, UPDATE",
      "ROLLBACK_COMPLETE, RECREATE",
      "CREATE_IN_PROGRESS, BUSY",
      "UPDATE_IN_PROGRESS, BUSY",
      "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, BUSY",
      "UPDATE_ROLLBACK_IN_PROGRESS, BUSY",
      "DELETE_IN_PROGRESS, BUSY",
      "UPDATE_ROLLBACK_FAILED, ROLLBACK_STUCK",
      "ROLLBACK_FAILED, BROKEN",
      "DELETE_FAILED, BROKEN",
      "CREATE_FAILED, BROKEN",
  })
  void classifiesTheStatusBeforeADeploy(String status, StackState expected) {
    assertThat(StackState.of(status)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
      "CREATE_COMPLETE, SUCCEEDED",
      "UPDATE_COMPLETE, SUCCEEDED",
      "CREATE_IN_PROGRESS, RUNNING",
      "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, RUNNING",
      "UPDATE_ROLLBACK_COMPLETE, FAILED",
      "ROLLBACK_COMPLETE, FAILED",
      "UPDATE_ROLLBACK_FAILED, FAILED",
      "CREATE_FAILED, FAILED",
  })
  void judgesHowAnOperationEnded(String status, StackState.Outcome expected) {
    assertThat(StackState.outcome(status)).isEqualTo(expected);
  }
}
