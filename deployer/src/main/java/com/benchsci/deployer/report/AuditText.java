package com.benchsci.deployer.report;

import com.benchsci.deployer.live.AuditOutcome;
import com.benchsci.deployer.live.LiveFirewall;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/** The firewall audit for a person: on the console, and as the Markdown report the daily job keeps. */
public final class AuditText {

  private AuditText() {}

  public static String console(AuditOutcome outcome) {
    LiveFirewall f = outcome.firewall();
    StringBuilder s = new StringBuilder();
    s.append(String.format("Firewall of %s %s (stack %s), VPC CIDR %s:%n", f.instanceLogicalId(), f.instanceId(),
        outcome.stackName(), f.vpcCidr()));
    for (LiveFirewall.Group g : f.groups()) {
      s.append(String.format("  %s %s (%s)%n", g.id(), g.name(), origin(g)));
      g.rules().forEach(r -> s.append("    ").append(describe(r)).append('\n'));
    }
    if (outcome.passed()) {
      s.append("Audit passed: the live firewall is the policy (").append(outcome.rulesApplied())
          .append(" cfn-guard rules).\n");
    } else {
      s.append("Audit FAILED: ").append(outcome.findings().size()).append(" violation(s) of the firewall policy:\n");
      outcome.findings().forEach(v -> s.append("  ").append(where(v)).append(" violates ")
          .append(v.violation().rule()).append(":\n    ").append(v.violation().message().replace("\n", "\n    "))
          .append('\n'));
    }
    return s.toString();
  }

  public static String markdown(AuditOutcome outcome) {
    LiveFirewall f = outcome.firewall();
    StringBuilder s = new StringBuilder("## Firewall audit of stack `" + outcome.stackName() + "`\n\n");
    s.append(outcome.passed() ? "**Passed**: the live firewall is the policy.\n\n"
        : "**Failed**: " + outcome.findings().size() + " violation(s) of the firewall policy.\n\n");
    s.append("Instance `").append(f.instanceLogicalId()).append("` (`").append(f.instanceId())
        .append("`), VPC CIDR `").append(f.vpcCidr()).append("`.\n\n")
        .append("| Security group | Name | Origin | Rules |\n| --- | --- | --- | --- |\n");
    for (LiveFirewall.Group g : f.groups()) {
      s.append("| `").append(g.id()).append("` | ").append(g.name()).append(" | ").append(origin(g)).append(" | ")
          .append(g.rules().stream().map(AuditText::describe).collect(Collectors.joining("<br>")))
          .append(" |\n");
    }
    if (!outcome.passed()) {
      s.append("\n### Violations\n\n");
      outcome.findings().forEach(v -> s.append("- ").append(where(v)).append(" violates **")
          .append(v.violation().rule()).append("**:\n  ```\n  ")
          .append(v.violation().message().replace("\n", "\n  ")).append("\n  ```\n"));
    }
    return s.toString();
  }

  private static String origin(LiveFirewall.Group g) {
    return g.logicalId() != null ? "stack resource " + g.logicalId() : "attached outside CloudFormation";
  }

  /** The group (by its id) and, when the rules point at one, the rule a violation is about. */
  private static String where(AuditOutcome.Finding finding) {
    if (finding.group() == null) {
      return finding.violation().resource().isEmpty() ? "the firewall" : finding.violation().resource();
    }
    return "security group " + finding.group().id() + " (" + origin(finding.group()) + ")"
        + (finding.rule() == null ? "" : ", rule " + describe(finding.rule()));
  }

  /** "ingress tcp 8080 from 0.0.0.0/0 [sgr-...]" */
  static String describe(SecurityGroupRule r) {
    boolean egress = Boolean.TRUE.equals(r.isEgress());
    String ports = "-1".equals(r.ipProtocol()) ? "all" : r.fromPort() != null && r.fromPort().equals(r.toPort())
        ? String.valueOf(r.fromPort()) : r.fromPort() + "-" + r.toPort();
    String peer = r.cidrIpv4() != null ? r.cidrIpv4() : r.cidrIpv6() != null ? r.cidrIpv6()
        : r.prefixListId() != null ? r.prefixListId()
        : r.referencedGroupInfo() != null ? r.referencedGroupInfo().groupId() : "?";
    String protocol = "-1".equals(r.ipProtocol()) ? "all protocols" : r.ipProtocol();
    return (egress ? "egress " : "ingress ") + protocol + " " + ports + (egress ? " to " : " from ") + peer
        + " [" + r.securityGroupRuleId() + "]";
  }
}
