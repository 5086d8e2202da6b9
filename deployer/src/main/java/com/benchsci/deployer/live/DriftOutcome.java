package com.benchsci.deployer.live;

import java.util.List;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDrift;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDriftStatus;

/**
 * The outcome of drift detection on the stacks: per stack its detection and every resource drift read (a drifted
 * resource carries its logical and physical id, type, MODIFIED or DELETED and each property expected and actual);
 * resources CloudFormation could not check are kept apart, never counted as in sync.
 */
public record DriftOutcome(List<StackResult> stacks) {

  /** What a scheduler needs to know; drift found wins over a detection that failed on another stack. */
  public enum Status {
    /** Every checked resource matches its template. */
    IN_SYNC,
    /** Some resource was changed or deleted outside CloudFormation. */
    DRIFTED,
    /** A detection failed or did not finish: the state is unknown (moto has no drift detection). */
    DETECTION_FAILED
  }

  /** One stack's detection: its DescribeStackDriftDetectionStatus outcome and every resource drift read. */
  public record StackResult(String stackName, String detectionStatus, String reason, List<StackResourceDrift> drifts) {

    public static StackResult failed(String stackName, String reason) {
      return new StackResult(stackName, "DETECTION_FAILED", reason, List.of());
    }

    public boolean failed() {
      return !"DETECTION_COMPLETE".equals(detectionStatus);
    }

    public List<StackResourceDrift> drifted() {
      return drifts.stream().filter(d -> d.stackResourceDriftStatus() == StackResourceDriftStatus.MODIFIED
          || d.stackResourceDriftStatus() == StackResourceDriftStatus.DELETED).toList();
    }

    public List<StackResourceDrift> notChecked() {
      return drifts.stream().filter(d -> d.stackResourceDriftStatus() == StackResourceDriftStatus.NOT_CHECKED)
          .toList();
    }

    public long inSync() {
      return drifts.stream().filter(d -> d.stackResourceDriftStatus() == StackResourceDriftStatus.IN_SYNC).count();
    }
  }

  public Status status() {
    if (stacks.stream().anyMatch(s -> !s.drifted().isEmpty())) {
      return Status.DRIFTED;
    }
    return stacks.stream().anyMatch(StackResult::failed) ? Status.DETECTION_FAILED : Status.IN_SYNC;
  }
}
