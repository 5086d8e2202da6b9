package com.benchsci.deployer.live;

import com.benchsci.deployer.ReportFile;
import com.benchsci.deployer.aws.AwsTarget;
import com.benchsci.deployer.aws.Backoff;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackDriftDetectionStatusResponse;
import software.amazon.awssdk.services.cloudformation.model.StackDriftDetectionStatus;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDrift;

/**
 * {@code drift}: CloudFormation's own drift detection on each stack (DetectStackDrift, then its status polled
 * with a growing delay up to a limit, as the SDK has no waiter for it, then every DescribeStackResourceDrifts
 * page), rendered by {@link DriftReport}. An endpoint without drift detection (moto) is named as such: nothing
 * is assumed in sync.
 */
public final class StackDrift {

  /** Which stacks, how long to wait for one detection, where the Markdown report goes. */
  public record Settings(List<String> stackNames, Duration waitLimit, Path reportFile) {}

  private StackDrift() {}

  public static DriftReport run(Settings settings, AwsTarget target, PrintWriter out) {
    List<DriftReport.StackResult> results = new ArrayList<>();
    try (CloudFormationClient cfn = target.cloudFormation()) {
      for (String stack : settings.stackNames()) {
        out.printf("Detecting drift of stack %s on %s%n", stack, target.describe());
        out.flush();
        results.add(detect(cfn, stack, settings.waitLimit(), target));
      }
    }
    DriftReport report = new DriftReport(results);
    out.print(report.console());
    ReportFile.write(settings.reportFile(), report.markdown());
    out.printf("Drift report: %s%n", settings.reportFile());
    out.flush();
    return report;
  }

  private static DriftReport.StackResult detect(CloudFormationClient cfn, String stack, Duration limit,
      AwsTarget target) {
    String detectionId;
    try {
      detectionId = cfn.detectStackDrift(r -> r.stackName(stack)).stackDriftDetectionId();
    } catch (AwsServiceException e) {
      if (e.statusCode() >= 500 && target.isEmulator()) {
        return DriftReport.StackResult.failed(stack, "the endpoint " + target.endpoint() + " does not support drift"
            + " detection (DetectStackDrift answered HTTP " + e.statusCode() + "; moto does not implement it):"
            + " run drift against AWS");
      }
      String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
      return DriftReport.StackResult.failed(stack, "DetectStackDrift refused (HTTP " + e.statusCode() + "): "
          + message);
    }
    DescribeStackDriftDetectionStatusResponse status = awaitDetection(cfn, detectionId, limit);
    if (status.detectionStatus() == StackDriftDetectionStatus.DETECTION_IN_PROGRESS) {
      return DriftReport.StackResult.failed(stack, "detection " + detectionId + " still running after "
          + limit.toMinutes() + " min: aws cloudformation describe-stack-drift-detection-status"
          + " --stack-drift-detection-id " + detectionId);
    }
    List<StackResourceDrift> drifts = cfn.describeStackResourceDriftsPaginator(r -> r.stackName(stack))
        .stream().flatMap(page -> page.stackResourceDrifts().stream()).toList();
    return new DriftReport.StackResult(stack, status.detectionStatusAsString(), status.detectionStatusReason(),
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
