package com.benchsci.deployer.live;

import com.benchsci.deployer.ReportFile;
import com.benchsci.deployer.aws.AwsTarget;
import com.benchsci.deployer.template.GuardCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * {@code audit}: the live firewall against the policy. The security groups really attached to the host (see
 * {@link LiveFirewall}) become a CloudFormation-shaped document, which the same cfn-guard firewall rules that
 * gate every template then judge, so a port opened by hand fails with the rule's own message and [FIX].
 */
public final class FirewallAudit {

  /** The rules that speak about security groups and their attachment; the others judge template-only things. */
  static final List<String> RULES = List.of("sg_ingress_policy.guard", "sg_egress_policy.guard",
      "sg_required_openings.guard", "host_security_groups.guard");

  /** What to audit and where to write the evaluated document and the Markdown report. */
  public record Settings(String stackName, Path documentFile, Path reportFile) {}

  /** The firewall that was read and what the rules said about it. */
  public record Result(String stackName, LiveFirewall firewall, List<GuardCheck.Violation> violations) {
    public boolean passed() {
      return violations.isEmpty();
    }
  }

  /** Rules that judge each firewall rule on its own (the others judge a group as a whole). */
  private static final Set<String> PER_ENTRY_RULES = Set.of("SG_INGRESS_POLICY", "SG_EGRESS_POLICY");
  private static final Pattern RULE_ENTRY = Pattern.compile("/SecurityGroup(Ingress|Egress)/(\\d+)$");

  private FirewallAudit() {}

  /** Reads the firewall, evaluates it, prints the outcome and writes both files. */
  public static Result run(Settings settings, AwsTarget target, GuardCheck guard, PrintWriter out) {
    LiveFirewall firewall;
    try (CloudFormationClient cfn = target.cloudFormation(); Ec2Client ec2 = target.ec2()) {
      firewall = LiveFirewall.read(cfn, ec2, settings.stackName());
    }
    ReportFile.write(settings.documentFile(), yaml(document(firewall)));
    Result result = new Result(settings.stackName(), firewall,
        guard.validate(settings.documentFile(), RULES));
    out.print(console(result));
    ReportFile.write(settings.reportFile(), markdown(result));
    out.printf("Audit document: %s; report: %s%n", settings.documentFile(), settings.reportFile());
    out.flush();
    return result;
  }

  /**
   * The firewall as a template: the VPC (so that a rule from exactly its CIDR reads as {@code !GetAtt
   * Vpc.CidrBlock}, as in the template), every group with its rules inline, and the instance's interfaces with
   * the groups they carry.
   */
  static Map<String, Object> document(LiveFirewall firewall) {
    Map<String, Object> resources = new LinkedHashMap<>();
    resources.put(firewall.vpcLogicalId(), resource("AWS::EC2::VPC", Map.of("CidrBlock", firewall.vpcCidr())));
    for (LiveFirewall.Group group : firewall.groups()) {
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put("GroupDescription", group.name() + " (" + group.id() + ")");
      properties.put("VpcId", Map.of("Ref", firewall.vpcLogicalId()));
      // No rules in a direction is no key, as in a template: the rules' "must have" checks then fail, not skip.
      List<Object> ingress = rules(group, false, firewall);
      List<Object> egress = rules(group, true, firewall);
      if (!ingress.isEmpty()) {
        properties.put("SecurityGroupIngress", ingress);
      }
      if (!egress.isEmpty()) {
        properties.put("SecurityGroupEgress", egress);
      }
      resources.put(LiveFirewall.documentId(group), resource("AWS::EC2::SecurityGroup", properties));
    }
    Map<String, LiveFirewall.Group> groups = firewall.groups().stream()
        .collect(Collectors.toMap(LiveFirewall.Group::id, g -> g));
    List<Object> interfaces = new ArrayList<>();
    for (LiveFirewall.Interface eni : firewall.interfaces()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("DeviceIndex", Integer.toString(eni.deviceIndex()));
      entry.put("NetworkInterfaceId", eni.id());
      entry.put("GroupSet", eni.groupIds().stream()
          .map(id -> Map.of("Ref", LiveFirewall.documentId(groups.get(id)))).toList());
      interfaces.add(entry);
    }
    resources.put(firewall.instanceLogicalId(), resource("AWS::EC2::Instance",
        Map.of("NetworkInterfaces", interfaces)));
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("AWSTemplateFormatVersion", "2010-09-09");
    document.put("Description", "The live firewall of instance " + firewall.instanceId() + ", read over the EC2 API");
    document.put("Resources", resources);
    return document;
  }

  /** A group's rules in one direction, in the order of the document's list. */
  private static List<SecurityGroupRule> direction(LiveFirewall.Group group, boolean egress) {
    return group.rules().stream().filter(r -> Boolean.TRUE.equals(r.isEgress()) == egress).toList();
  }

  private static List<Object> rules(LiveFirewall.Group group, boolean egress, LiveFirewall firewall) {
    List<Object> entries = new ArrayList<>();
    for (SecurityGroupRule rule : direction(group, egress)) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("IpProtocol", rule.ipProtocol());
      entry.put("FromPort", rule.fromPort());
      entry.put("ToPort", rule.toPort());
      if (rule.cidrIpv4() != null) {
        entry.put("CidrIp", rule.cidrIpv4().equals(firewall.vpcCidr())
            ? Map.of("Fn::GetAtt", List.of(firewall.vpcLogicalId(), "CidrBlock")) : rule.cidrIpv4());
      }
      if (rule.cidrIpv6() != null) {
        entry.put("CidrIpv6", rule.cidrIpv6());
      }
      String peer = egress ? "Destination" : "Source";
      if (rule.prefixListId() != null) {
        entry.put(peer + "PrefixListId", rule.prefixListId());
      }
      if (rule.referencedGroupInfo() != null && rule.referencedGroupInfo().groupId() != null) {
        entry.put(peer + "SecurityGroupId", rule.referencedGroupInfo().groupId());
      }
      entry.put("Description", rule.securityGroupRuleId()
          + (rule.description() == null || rule.description().isBlank() ? "" : ": " + rule.description()));
      entries.add(entry);
    }
    return entries;
  }

  private static Map<String, Object> resource(String type, Map<String, Object> properties) {
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("Type", type);
    resource.put("Properties", properties);
    return resource;
  }

  static String console(Result result) {
    LiveFirewall f = result.firewall();
    StringBuilder s = new StringBuilder();
    s.append(String.format("Firewall of %s %s (stack %s), VPC CIDR %s:%n", f.instanceLogicalId(), f.instanceId(),
        result.stackName(), f.vpcCidr()));
    for (LiveFirewall.Group g : f.groups()) {
      s.append(String.format("  %s %s (%s)%n", g.id(), g.name(), origin(g)));
      g.rules().forEach(r -> s.append("    ").append(describe(r)).append('\n'));
    }
    if (result.passed()) {
      s.append("Audit passed: the live firewall is the policy (").append(RULES.size()).append(" cfn-guard rules).\n");
    } else {
      s.append("Audit FAILED: ").append(result.violations().size()).append(" violation(s) of the firewall policy:\n");
      result.violations().forEach(v -> s.append("  ").append(where(v, f)).append(" violates ").append(v.rule())
          .append(":\n    ").append(v.message().replace("\n", "\n    ")).append('\n'));
    }
    return s.toString();
  }

  static String markdown(Result result) {
    LiveFirewall f = result.firewall();
    StringBuilder s = new StringBuilder("## Firewall audit of stack `" + result.stackName() + "`\n\n");
    s.append(result.passed() ? "**Passed**: the live firewall is the policy.\n\n"
        : "**Failed**: " + result.violations().size() + " violation(s) of the firewall policy.\n\n");
    s.append("Instance `").append(f.instanceLogicalId()).append("` (`").append(f.instanceId())
        .append("`), VPC CIDR `").append(f.vpcCidr()).append("`.\n\n")
        .append("| Security group | Name | Origin | Rules |\n| --- | --- | --- | --- |\n");
    for (LiveFirewall.Group g : f.groups()) {
      s.append("| `").append(g.id()).append("` | ").append(g.name()).append(" | ").append(origin(g)).append(" | ")
          .append(g.rules().stream().map(FirewallAudit::describe).collect(Collectors.joining("<br>")))
          .append(" |\n");
    }
    if (!result.passed()) {
      s.append("\n### Violations\n\n");
      result.violations().forEach(v -> s.append("- ").append(where(v, f)).append(" violates **").append(v.rule())
          .append("**:\n  ```\n  ").append(v.message().replace("\n", "\n  ")).append("\n  ```\n"));
    }
    return s.toString();
  }

  private static String origin(LiveFirewall.Group g) {
    return g.logicalId() != null ? "stack resource " + g.logicalId() : "attached outside CloudFormation";
  }

  /** The group (by its id) and, when the rules point at one, the rule a violation is about. */
  private static String where(GuardCheck.Violation v, LiveFirewall f) {
    return f.groups().stream().filter(g -> LiveFirewall.documentId(g).equals(v.resource())).findFirst()
        .map(g -> "security group " + g.id() + " (" + origin(g) + ")"
            + (PER_ENTRY_RULES.contains(v.rule()) ? offendingRule(v.entry(), g) : ""))
        .orElse(v.resource().isEmpty() ? "the firewall" : v.resource());
  }

  /** ", rule ingress tcp 8080 from 0.0.0.0/0 [sgr-...]" for an entry .../SecurityGroupIngress/7, else "". */
  private static String offendingRule(String entry, LiveFirewall.Group group) {
    Matcher m = RULE_ENTRY.matcher(entry);
    if (!m.find()) {
      return "";
    }
    List<SecurityGroupRule> rules = direction(group, m.group(1).equals("Egress"));
    int index = Integer.parseInt(m.group(2));
    return index < rules.size() ? ", rule " + describe(rules.get(index)) : "";
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

  private static String yaml(Map<String, Object> document) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options).dump(document);
  }
}
