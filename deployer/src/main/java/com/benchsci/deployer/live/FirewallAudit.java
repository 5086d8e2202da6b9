package com.benchsci.deployer.live;

import com.benchsci.deployer.core.AwsClients;
import com.benchsci.deployer.core.TextFile;
import com.benchsci.deployer.template.Violation;
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
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * {@code audit}: the live firewall against the policy. The security groups really attached to the host (see
 * {@link LiveFirewall}) become a CloudFormation-shaped document, which the same cfn-guard firewall rules that
 * gate every template then judge, so a port opened by hand fails with the rule's own message and [FIX]. Each
 * violation is traced back from the document to the live group and rule it is about. How the outcome reads is the
 * report adapter's business.
 */
public final class FirewallAudit {

  /** The rules that speak about security groups and their attachment; the others judge template-only things. */
  public static final List<String> RULES = List.of("sg_ingress_policy.guard", "sg_egress_policy.guard",
      "sg_required_openings.guard", "host_security_groups.guard");

  /** The policy check the audit applies to its document: cfn-guard with the named rule files. */
  @FunctionalInterface
  public interface Policy {
    List<Violation> judge(Path document, List<String> ruleFiles);
  }

  /** Rules that judge each firewall rule on its own (the others judge a group as a whole). */
  private static final Set<String> PER_ENTRY_RULES = Set.of("SG_INGRESS_POLICY", "SG_EGRESS_POLICY");
  private static final Pattern RULE_ENTRY = Pattern.compile("/SecurityGroup(Ingress|Egress)/(\\d+)$");

  private FirewallAudit() {}

  /** Reads the firewall of {@code stackName}'s host, writes it as {@code documentFile} and has the policy judge it. */
  public static AuditOutcome audit(AwsClients clients, String stackName, Path documentFile, Policy policy) {
    LiveFirewall firewall = LiveFirewall.read(clients.cloudFormation(), clients.ec2(), stackName);
    TextFile.write(documentFile, yaml(document(firewall)));
    List<AuditOutcome.Finding> findings = policy.judge(documentFile, RULES).stream()
        .map(v -> locate(v, firewall)).toList();
    return new AuditOutcome(stackName, firewall, findings, RULES.size());
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

  /** The group a violation is about (by its name in the document) and, when the rule judges entries, the entry. */
  static AuditOutcome.Finding locate(Violation v, LiveFirewall firewall) {
    LiveFirewall.Group group = firewall.groups().stream()
        .filter(g -> LiveFirewall.documentId(g).equals(v.resource())).findFirst().orElse(null);
    SecurityGroupRule rule = null;
    Matcher entry = RULE_ENTRY.matcher(v.entry());
    if (group != null && PER_ENTRY_RULES.contains(v.rule()) && entry.find()) {
      List<SecurityGroupRule> rules = direction(group, entry.group(1).equals("Egress"));
      int index = Integer.parseInt(entry.group(2));
      rule = index < rules.size() ? rules.get(index) : null;
    }
    return new AuditOutcome.Finding(v, group, rule);
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

  private static String yaml(Map<String, Object> document) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options).dump(document);
  }
}
