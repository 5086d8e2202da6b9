package com.benchsci.deployer.live;

import com.benchsci.deployer.template.Violation;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * The outcome of {@code audit}: the firewall that was read and every violation of the policy found in it
 * ({@code rulesApplied} rule files judged it); passed when there is none.
 */
public record AuditOutcome(String stackName, LiveFirewall firewall, List<Finding> findings, int rulesApplied) {

  /**
   * One violation, traced back to the live security group it is about ({@code group}, null when the rule judged
   * the firewall as a whole) and, for a rule that judges entries one by one, the live rule ({@code rule}, or null).
   */
  public record Finding(Violation violation, LiveFirewall.Group group, SecurityGroupRule rule) {}

  public boolean passed() {
    return findings.isEmpty();
  }
}
