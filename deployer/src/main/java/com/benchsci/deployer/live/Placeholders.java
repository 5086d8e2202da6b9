package com.benchsci.deployer.live;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The values a deployed template leaves to CloudFormation, filled in from the stack as it is: {@code ${X}} and
 * {@code ${X.GroupId}} are resource X's physical id (a VPC security group's Ref and GroupId are both its id),
 * {@code ${X.CidrBlock}} is VPC X's address range as EC2 reports it.
 */
final class Placeholders {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

  private final Map<String, String> physicalIds;
  private final Map<String, String> cidrBlocks;

  private Placeholders(Map<String, String> physicalIds, Map<String, String> cidrBlocks) {
    this.physicalIds = physicalIds;
    this.cidrBlocks = cidrBlocks;
  }

  /** {@code physicalIds} by logical id, {@code cidrBlocks} by the logical id of their VPC. */
  static Placeholders of(Map<String, String> physicalIds, Map<String, String> cidrBlocks) {
    return new Placeholders(Map.copyOf(physicalIds), Map.copyOf(cidrBlocks));
  }

  /** The stack's resources' ids, and the address range of each of its VPCs (one DescribeVpcs). */
  static Placeholders read(Ec2Client ec2, Map<String, StackResourceSummary> resources) {
    Map<String, String> physicalIds = new LinkedHashMap<>();
    Map<String, String> vpcs = new LinkedHashMap<>();
    resources.forEach((id, r) -> {
      if (r.physicalResourceId() != null) {
        physicalIds.put(id, r.physicalResourceId());
        if ("AWS::EC2::VPC".equals(r.resourceType())) {
          vpcs.put(r.physicalResourceId(), id);
        }
      }
    });
    Map<String, String> cidrBlocks = new LinkedHashMap<>();
    if (!vpcs.isEmpty()) {
      List<String> ids = List.copyOf(vpcs.keySet());
      ec2.describeVpcs(r -> r.vpcIds(ids)).vpcs().forEach(v -> cidrBlocks.put(vpcs.get(v.vpcId()), v.cidrBlock()));
    }
    return of(physicalIds, cidrBlocks);
  }

  /** {@code text} with every placeholder filled in, or null when one names something the stack does not show. */
  String fill(String text) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder filled = new StringBuilder();
    while (m.find()) {
      String value = value(m.group(1));
      if (value == null) {
        return null;
      }
      m.appendReplacement(filled, Matcher.quoteReplacement(value));
    }
    m.appendTail(filled);
    return filled.toString();
  }

  /** Whether {@code text} (a GroupId as the template gives it) is resource {@code logicalId}. */
  boolean refersTo(String text, String logicalId) {
    String filled = fill(text);
    return filled != null && filled.equals(physicalIds.get(logicalId));
  }

  /** The logical id of a physical id of the stack, or the physical id itself. */
  String logicalIdOf(String physicalId) {
    return physicalIds.entrySet().stream().filter(e -> e.getValue().equals(physicalId)).map(Map.Entry::getKey)
        .findFirst().orElse(physicalId);
  }

  private String value(String name) {
    int dot = name.indexOf('.');
    if (dot < 0) {
      return physicalIds.get(name);
    }
    String resource = name.substring(0, dot);
    return switch (name.substring(dot + 1)) {
      case "GroupId" -> physicalIds.get(resource);
      case "CidrBlock" -> cidrBlocks.get(resource);
      default -> null;
    };
  }
}
