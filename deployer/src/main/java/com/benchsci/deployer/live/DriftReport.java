package com.benchsci.deployer.live;

import java.util.List;
import software.amazon.awssdk.services.cloudformation.model.PropertyDifference;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDrift;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDriftStatus;

/**
 * The outcome of drift detection on the stacks, for a person (console, Markdown) and for a scheduler (exit code):
 * per drifted resource its logical and physical id, type, MODIFIED or DELETED and each property path expected
 * → actual; resources CloudFormation could not check are listed apart, never counted as in sync.
 */
public record DriftReport(List<StackResult> stacks) {

  /** Exit codes: 0 in sync, 3 drift found (even if another detection failed), 4 a detection failed. */
  public static final int IN_SYNC = 0;
  public static final int DRIFTED = 3;
  public static final int DETECTION_FAILED = 4;

  /** One stack's detection: its DescribeStackDriftDetectionStatus outcome and every resource drift read. */
  public record StackResult(String stackName, String detectionStatus, String reason, List<StackResourceDrift> drifts) {

    static StackResult failed(String stackName, String reason) {
      return new StackResult(stackName, "DETECTION_FAILED", reason, List.of());
    }

    boolean failed() {
      return !"DETECTION_COMPLETE".equals(detectionStatus);
    }

    List<StackResourceDrift> drifted() {
      return drifts.stream().filter(d -> d.stackResourceDriftStatus() == StackResourceDriftStatus.MODIFIED
          || d.stackResourceDriftStatus() == StackResourceDriftStatus.DELETED).toList();
    }

    List<StackResourceDrift> notChecked() {
      return drifts.stream().filter(d -> d.stackResourceDriftStatus() == StackResourceDriftStatus.NOT_CHECKED)
          .toList();
    }

    long inSync() {
      return drifts.stream().filter(d -> d.stackResourceDriftStatus() == StackResourceDriftStatus.IN_SYNC).count();
    }
  }

  public int exitCode() {
    if (stacks.stream().anyMatch(s -> !s.drifted().isEmpty())) {
      return DRIFTED;
    }
    return stacks.stream().anyMatch(StackResult::failed) ? DETECTION_FAILED : IN_SYNC;
  }

  public String console() {
    StringBuilder s = new StringBuilder();
    for (StackResult stack : stacks) {
      s.append("Stack ").append(stack.stackName()).append(": ").append(headline(stack)).append('\n');
      for (StackResourceDrift d : stack.drifted()) {
        s.append(String.format("  %-8s %s  %s  %s%n", d.stackResourceDriftStatusAsString(), d.logicalResourceId(),
            d.physicalResourceId(), d.resourceType()));
        for (PropertyDifference p : d.propertyDifferences()) {
          s.append("      ").append(difference(p)).append('\n');
        }
      }
      if (!stack.notChecked().isEmpty()) {
        s.append("  Not checked (CloudFormation cannot detect drift on them): ")
            .append(String.join(", ", stack.notChecked().stream()
                .map(d -> d.logicalResourceId() + " (" + d.resourceType() + ")").toList())).append('\n');
      }
    }
    s.append(switch (exitCode()) {
      case IN_SYNC -> "No drift: every checked resource matches its template.\n";
      case DRIFTED -> "DRIFT FOUND: resources were changed outside CloudFormation (exit 3).\n";
      default -> "DRIFT DETECTION FAILED: the state of the stacks is unknown (exit 4).\n";
    });
    return s.toString();
  }

  public String markdown() {
    StringBuilder s = new StringBuilder("## Drift report\n\n");
    for (StackResult stack : stacks) {
      s.append("### Stack `").append(stack.stackName()).append("`\n\n").append(headline(stack)).append("\n\n");
      if (!stack.drifted().isEmpty()) {
        s.append("| Status | Logical id | Physical id | Type | Property: expected → actual |\n")
            .append("| --- | --- | --- | --- | --- |\n");
        for (StackResourceDrift d : stack.drifted()) {
          s.append("| ").append(d.stackResourceDriftStatusAsString()).append(" | ").append(d.logicalResourceId())
              .append(" | ").append(cell(d.physicalResourceId())).append(" | ").append(d.resourceType()).append(" | ")
              .append(String.join("<br>", d.propertyDifferences().stream().map(p -> cell(difference(p))).toList()))
              .append(" |\n");
        }
        s.append('\n');
      }
      if (!stack.notChecked().isEmpty()) {
        s.append("Not checked (CloudFormation cannot detect drift on them): ")
            .append(String.join(", ", stack.notChecked().stream()
                .map(d -> "`" + d.logicalResourceId() + "` (" + d.resourceType() + ")").toList())).append("\n\n");
      }
    }
    return s.toString();
  }

  private static String headline(StackResult stack) {
    if (stack.failed()) {
      return "detection failed: " + (stack.reason() == null ? stack.detectionStatus() : stack.reason());
    }
    int drifted = stack.drifted().size();
    return (drifted == 0 ? "IN_SYNC" : "DRIFTED") + " (" + drifted + " drifted, " + stack.inSync() + " in sync, "
        + stack.notChecked().size() + " not checked)";
  }

  /** "SecurityGroupIngress.6 [ADD]: (absent) → {...}" */
  static String difference(PropertyDifference p) {
    return p.propertyPath() + " [" + p.differenceTypeAsString() + "]: " + orAbsent(p.expectedValue()) + " → "
        + orAbsent(p.actualValue());
  }

  private static String orAbsent(String value) {
    return value == null || value.isEmpty() ? "(absent)" : value;
  }

  private static String cell(String text) {
    return text == null ? "-" : text.replace("|", "\\|").replace("\n", " ");
  }
}
