package com.benchsci.deployer.live;

import com.benchsci.deployer.core.DeployException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * The host's firewall as it really is, read over the EC2 API: every network interface attached to the stack's
 * instance and every security group on them, whoever attached it, with all its rules. The stack only says which
 * instance and VPC to look at; nothing here is taken from the template.
 */
public record LiveFirewall(String instanceLogicalId, String instanceId, String vpcLogicalId, String vpcCidr,
    List<Interface> interfaces, List<Group> groups) {

  /** One network interface of the instance and the groups attached to it. */
  public record Interface(String id, int deviceIndex, List<String> groupIds) {}

  /** A security group; {@code logicalId} is null when the stack did not create it (attached by hand). */
  public record Group(String id, String name, String logicalId, List<SecurityGroupRule> rules) {}

  public static LiveFirewall read(CloudFormationClient cfn, Ec2Client ec2, String stackName) {
    Map<String, StackResourceSummary> byType = new LinkedHashMap<>();
    Map<String, String> stackGroups = new LinkedHashMap<>();
    for (StackResourceSummary r : cfn.listStackResourcesPaginator(b -> b.stackName(stackName))
        .stackResourceSummaries()) {
      byType.putIfAbsent(r.resourceType(), r);
      if ("AWS::EC2::SecurityGroup".equals(r.resourceType()) && r.physicalResourceId() != null) {
        stackGroups.put(r.physicalResourceId(), r.logicalResourceId());
      }
    }
    StackResourceSummary instance = byType.get("AWS::EC2::Instance");
    StackResourceSummary vpc = byType.get("AWS::EC2::VPC");
    if (instance == null || instance.physicalResourceId() == null || vpc == null) {
      throw new DeployException("stack " + stackName + " has no " + (vpc == null ? "AWS::EC2::VPC" : "instance")
          + " among its resources: nothing to audit (is the stack deployed? see aws cloudformation"
          + " list-stack-resources --stack-name " + stackName + ")");
    }
    String instanceId = instance.physicalResourceId();
    List<NetworkInterface> enis = ec2.describeNetworkInterfacesPaginator(
            r -> r.filters(f -> f.name("attachment.instance-id").values(instanceId)))
        .networkInterfaces().stream().toList();
    if (enis.isEmpty()) {
      throw new DeployException("instance " + instance.logicalResourceId() + " (" + instanceId + ") of stack "
          + stackName + " has no network interface: it is missing or terminated (run a deploy to recreate it)");
    }
    List<Interface> interfaces = new ArrayList<>();
    Map<String, String> groupNames = new LinkedHashMap<>();
    for (NetworkInterface eni : enis) {
      List<String> ids = eni.groups().stream().map(GroupIdentifier::groupId).toList();
      eni.groups().forEach(g -> groupNames.putIfAbsent(g.groupId(), g.groupName()));
      int index = eni.attachment() == null || eni.attachment().deviceIndex() == null
          ? 0 : eni.attachment().deviceIndex();
      interfaces.add(new Interface(eni.networkInterfaceId(), index, ids));
    }
    Set<String> groupIds = new LinkedHashSet<>(groupNames.keySet());
    Map<String, List<SecurityGroupRule>> rules = rulesOf(ec2, groupIds);
    List<Group> groups = groupIds.stream()
        .map(id -> new Group(id, groupNames.get(id), stackGroups.get(id), List.copyOf(rules.get(id)))).toList();
    String cidr = ec2.describeVpcs(r -> r.vpcIds(vpc.physicalResourceId())).vpcs().get(0).cidrBlock();
    return new LiveFirewall(instance.logicalResourceId(), instanceId, vpc.logicalResourceId(), cidr, interfaces,
        groups);
  }

  /** Every rule of each of {@code groupIds} (a group without rules maps to an empty list), all pages read. */
  static Map<String, List<SecurityGroupRule>> rulesOf(Ec2Client ec2, Collection<String> groupIds) {
    Map<String, List<SecurityGroupRule>> rules = new LinkedHashMap<>();
    groupIds.forEach(id -> rules.put(id, new ArrayList<>()));
    if (!groupIds.isEmpty()) {
      ec2.describeSecurityGroupRulesPaginator(r -> r.filters(f -> f.name("group-id").values(groupIds)))
          .securityGroupRules()
          .forEach(rule -> rules.computeIfAbsent(rule.groupId(), k -> new ArrayList<>()).add(rule));
    }
    return rules;
  }

  /** The name a group has in the audit document: its logical id, or a made-up one for a group from outside. */
  public static String documentId(Group group) {
    return group.logicalId() != null ? group.logicalId() : "Unmanaged" + group.id().replaceAll("[^A-Za-z0-9]", "");
  }
}
