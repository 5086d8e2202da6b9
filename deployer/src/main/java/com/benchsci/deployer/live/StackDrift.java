package com.benchsci.deployer.live;

import com.benchsci.deployer.core.Backoff;
import com.benchsci.deployer.stack.EmulatorQuirks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackDriftDetectionStatusResponse;
import software.amazon.awssdk.services.cloudformation.model.StackDriftDetectionStatus;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDrift;

/**
 * {@code drift} on one stack: CloudFormation's own drift detection (DetectStackDrift, then its status polled with a
 * growing delay up to a limit, as the SDK has no waiter for it, then every DescribeStackResourceDrifts page). An
 * endpoint without drift detection is named as such by its quirks, and not asked: nothing is assumed in sync.
 */
public final class StackDrift {

  private StackDrift() {}

  public static DriftOutcome.StackResult detect(CloudFormationClient cfn, String stack, Duration limit,
      EmulatorQuirks quirks) {
    Optional<String> unsupported = quirks.noDriftDetection();
    if (unsupported.isPresent()) {
      return DriftOutcome.StackResult.failed(stack, unsupported.get());
    }
    String detectionId;
    try {
      detectionId = cfn.detectStackDrift(r -> r.stackName(stack)).stackDriftDetectionId();
    } catch (AwsServiceException e) {
      String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
      return DriftOutcome.StackResult.failed(stack, "DetectStackDrift refused (HTTP " + e.statusCode() + "): "
          + message);
    }
    DescribeStackDriftDetectionStatusResponse status = awaitDetection(cfn, detectionId, limit);
    if (status.detectionStatus() == StackDriftDetectionStatus.DETECTION_IN_PROGRESS) {
      return DriftOutcome.StackResult.failed(stack, "detection " + detectionId + " still running after "
          + limit.toMinutes() + " min: aws cloudformation describe-stack-drift-detection-status"
          + " --stack-drift-detection-id " + detectionId);
    }
    List<StackResourceDrift> drifts = cfn.describeStackResourceDriftsPaginator(r -> r.stackName(stack))
        .stream().flatMap(page -> page.stackResourceDrifts().stream()).toList();
    return new DriftOutcome.StackResult(stack, status.detectionStatusAsString(), status.detectionStatusReason(),
        drifts);
  }

  private static DescribeStackDriftDetectionStatusResponse awaitDetection(CloudFormationClient cfn, String id,
      Duration limit) {
    Instant deadline = Instant.now().plus(limit);
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
    while (true) {
      DescribeStackDriftDetectionStatusResponse status =
          cfn.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(id));
      if (status.detectionStatus() != StackDriftDetectionStatus.DETECTION_IN_PROGRESS
          || Instant.now().isAfter(deadline)) {
        return status;
      }
      backoff.pause();
    }
  }
}
