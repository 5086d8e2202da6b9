package com.benchsci.deployer.report;

import com.benchsci.deployer.live.DriftOutcome;
import software.amazon.awssdk.services.cloudformation.model.PropertyDifference;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDrift;

/** Drift detection for a person: on the console, and as the Markdown report the daily job keeps. */
public final class DriftText {

  private DriftText() {}

  public static String console(DriftOutcome outcome) {
    StringBuilder s = new StringBuilder();
    for (DriftOutcome.StackResult stack : outcome.stacks()) {
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
    s.append(switch (outcome.status()) {
      case IN_SYNC -> "No drift: every checked resource matches its template.\n";
      case DRIFTED -> "DRIFT FOUND: resources were changed outside CloudFormation.\n";
      case DETECTION_FAILED -> "DRIFT DETECTION FAILED: the state of the stacks is unknown.\n";
    });
    return s.toString();
  }

  public static String markdown(DriftOutcome outcome) {
    StringBuilder s = new StringBuilder("## Drift report\n\n");
    for (DriftOutcome.StackResult stack : outcome.stacks()) {
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

  private static String headline(DriftOutcome.StackResult stack) {
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
