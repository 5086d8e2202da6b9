package com.benchsci.deployer.live;

import com.benchsci.deployer.impact.DeployedTemplate;
import com.benchsci.deployer.impact.HandMade;
import com.benchsci.deployer.stack.EmulatorQuirks;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.PropertyDifference;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDrift;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDriftStatus;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * What was changed by hand on a deployed stack, read before its change set is made: the firewall as EC2 reports it
 * against the deployed template (every rule of the stack's security groups, every group on its instances' network
 * interfaces), and, where the endpoint has it, CloudFormation's own drift detection for everything else. The firewall
 * is read the way the audit reads it, whoever changed it; descriptions of rules are not compared (drift detection
 * reports them on AWS). Each difference is a {@link HandMade}; what a deploy does to it is judged later, from the
 * change set.
 */
public final class HandMadeChanges {

  /** The differences found, and what could not be compared (each a line for the review). */
  public record Found(List<HandMade> changes, List<String> notes) {

    public static final Found NONE = new Found(List.of(), List.of());

    public Found {
      changes = List.copyOf(changes);
      notes = List.copyOf(notes);
    }
  }

  private static final String SECURITY_GROUP = "AWS::EC2::SecurityGroup";
  private static final String INSTANCE = "AWS::EC2::Instance";
  private static final int SHOWN_VALUE = 200;

  private HandMadeChanges() {}

  /**
   * {@code stackName} as it is against {@code deployed} (its template with the parameters it was deployed with);
   * drift detection waits at most {@code driftLimit}.
   */
  public static Found read(CloudFormationClient cfn, Ec2Client ec2, String stackName, DeployedTemplate deployed,
      Duration driftLimit, EmulatorQuirks quirks, PrintWriter out) {
    Map<String, StackResourceSummary> resources = new LinkedHashMap<>();
    cfn.listStackResourcesPaginator(r -> r.stackName(stackName)).stackResourceSummaries()
        .forEach(r -> resources.put(r.logicalResourceId(), r));
    List<HandMade> changes = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Set<String> comparedGroups = firewall(ec2, resources, deployed, quirks, changes, notes);
    drift(cfn, stackName, driftLimit, quirks, comparedGroups, changes, notes, out);
    return new Found(changes, notes);
  }

  /** One firewall rule as both sides can say it, without its description. */
  record Rule(boolean egress, String protocol, String ports, String peer) {

    @Override
    public String toString() {
      String what = protocol.equals("-1") ? "all traffic" : protocol + " " + ports;
      return (egress ? "egress " : "ingress ") + what + (egress ? " to " : " from ") + peer;
    }
  }

  /**
   * The rules of each of the stack's security groups and the groups on each of its instances against the template.
   * Returns the groups whose rules were compared.
   */
  private static Set<String> firewall(Ec2Client ec2, Map<String, StackResourceSummary> resources,
      DeployedTemplate deployed, EmulatorQuirks quirks, List<HandMade> changes, List<String> notes) {
    List<String> groups = deployed.resourcesOfType(SECURITY_GROUP).stream()
        .filter(id -> physicalId(resources, id) != null).toList();
    List<String> instances = deployed.resourcesOfType(INSTANCE).stream()
        .filter(id -> physicalId(resources, id) != null).toList();
    Set<String> compared = new LinkedHashSet<>();
    if (groups.isEmpty() && instances.isEmpty()) {
      return compared;
    }
    Placeholders values = Placeholders.read(ec2, resources);
    Map<String, List<SecurityGroupRule>> live = LiveFirewall.rulesOf(ec2,
        groups.stream().map(id -> physicalId(resources, id)).toList());
    for (String group : groups) {
      Optional<List<Rule>> expected = expectedRules(group, deployed, values);
      if (expected.isEmpty()) {
        notes.add("The rules of " + group + " were not compared: the template gives one of them a value only"
            + " CloudFormation knows.");
        continue;
      }
      changes.addAll(compare(group, expected.get(), live.get(physicalId(resources, group))));
      compared.add(group);
    }
    Optional<String> notTemplated = quirks.instanceGroupsNotAsTemplated();
    if (notTemplated.isPresent() && !instances.isEmpty()) {
      notes.add(capitalized(notTemplated.get()) + ".");
    } else {
      for (String instance : instances) {
        attachments(ec2, instance, physicalId(resources, instance), deployed, values, changes, notes);
      }
    }
    return compared;
  }

  /**
   * The rules of {@code group} added or removed by hand: {@code live} against {@code expected}; with no egress rule
   * expected, the group has EC2's own (see {@link #expectedRules}).
   */
  static List<HandMade> compare(String group, List<Rule> expected, List<SecurityGroupRule> live) {
    List<HandMade> changes = new ArrayList<>();
    boolean defaultEgress = expected.stream().noneMatch(Rule::egress);
    Set<Rule> missing = new LinkedHashSet<>(expected);
    for (SecurityGroupRule r : live) {
      Rule rule = liveRule(r);
      if (!missing.remove(rule) && !expected.contains(rule) && !(defaultEgress && isDefaultEgress(rule))) {
        changes.add(new HandMade(group, SECURITY_GROUP, property(rule), true, rule + " added by hand ["
            + r.securityGroupRuleId() + "]"));
      }
    }
    for (Rule rule : missing) {
      changes.add(new HandMade(group, SECURITY_GROUP, property(rule), true, rule + " removed by hand"));
    }
    return changes;
  }

  private static String property(Rule rule) {
    return rule.egress() ? "SecurityGroupEgress" : "SecurityGroupIngress";
  }

  /**
   * The rules the template gives a group: its SecurityGroupIngress and SecurityGroupEgress, and the stand-alone
   * SecurityGroupIngress/Egress resources that name it. Without egress rules of its own a group has EC2's: "When
   * you create a security group, if you do not add egress rules, we add egress rules that allow all outbound IPv4
   * and IPv6 traffic" (AWS::EC2::SecurityGroup, CloudFormation Template Reference). Empty when a value cannot be
   * known here.
   */
  static Optional<List<Rule>> expectedRules(String group, DeployedTemplate deployed, Placeholders values) {
    List<Map<?, ?>> ingress = new ArrayList<>(entries(deployed.properties(group).get("SecurityGroupIngress")));
    List<Map<?, ?>> egress = new ArrayList<>(entries(deployed.properties(group).get("SecurityGroupEgress")));
    for (String type : List.of("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress")) {
      for (String id : deployed.resourcesOfType(type)) {
        Map<String, Object> standalone = deployed.properties(id);
        Object target = standalone.get("GroupId");
        if (target != null && values.refersTo(String.valueOf(target), group)) {
          (type.endsWith("Ingress") ? ingress : egress).add(standalone);
        }
      }
    }
    List<Rule> rules = new ArrayList<>();
    for (List<Map<?, ?>> side : List.of(ingress, egress)) {
      for (Map<?, ?> entry : side) {
        Rule rule = templateRule(entry, side == egress, values);
        if (rule == null) {
          return Optional.empty();
        }
        rules.add(rule);
      }
    }
    return Optional.of(rules);
  }

  private static boolean isDefaultEgress(Rule rule) {
    return rule.egress() && rule.protocol().equals("-1")
        && (rule.peer().equals("0.0.0.0/0") || rule.peer().equals("::/0"));
  }

  private static List<Map<?, ?>> entries(Object list) {
    List<Map<?, ?>> entries = new ArrayList<>();
    if (list instanceof List<?> l) {
      l.stream().filter(e -> e instanceof Map<?, ?>).forEach(e -> entries.add((Map<?, ?>) e));
    }
    return entries;
  }

  /** A rule as the template states it (placeholders filled in from the live resources), or null if unknowable. */
  private static Rule templateRule(Map<?, ?> entry, boolean egress, Placeholders values) {
    String protocol = protocol(String.valueOf(entry.get("IpProtocol")));
    String peer = null;
    for (String key : egress
        ? List.of("CidrIp", "CidrIpv6", "DestinationSecurityGroupId", "DestinationPrefixListId")
        : List.of("CidrIp", "CidrIpv6", "SourceSecurityGroupId", "SourcePrefixListId")) {
      if (entry.get(key) != null) {
        peer = values.fill(String.valueOf(entry.get(key)));
        peer = peer == null ? null : key.startsWith("CidrIp") ? Cidr.canonical(peer) : peer;
        break;
      }
    }
    if (peer == null) {
      return null;
    }
    return new Rule(egress, protocol, ports(protocol, entry.get("FromPort"), entry.get("ToPort")), peer);
  }

  private static Rule liveRule(SecurityGroupRule r) {
    String protocol = protocol(r.ipProtocol());
    String peer = r.cidrIpv4() != null ? Cidr.canonical(r.cidrIpv4()) : r.cidrIpv6() != null
        ? Cidr.canonical(r.cidrIpv6()) : r.prefixListId() != null ? r.prefixListId()
        : r.referencedGroupInfo() != null ? r.referencedGroupInfo().groupId() : "?";
    return new Rule(Boolean.TRUE.equals(r.isEgress()), protocol, ports(protocol, r.fromPort(), r.toPort()), peer);
  }

  /** EC2's names for the protocol numbers it names (a template may give either). */
  private static String protocol(String given) {
    String p = given == null ? "-1" : given.trim().toLowerCase();
    return switch (p) {
      case "6" -> "tcp";
      case "17" -> "udp";
      case "1" -> "icmp";
      case "58" -> "icmpv6";
      case "all" -> "-1";
      default -> p;
    };
  }

  /** "80", "0-65535", or "" for all protocols (whose ports mean nothing). */
  private static String ports(String protocol, Object from, Object to) {
    if (protocol.equals("-1")) {
      return "";
    }
    String a = from == null ? "-1" : String.valueOf(from).trim();
    String b = to == null ? a : String.valueOf(to).trim();
    return a.equals(b) ? a : a + "-" + b;
  }

  /**
   * The groups on an instance's network interfaces against those its template names (NetworkInterfaces' GroupSet
   * or SecurityGroupIds). An instance without interfaces is gone: the host check says so.
   */
  private static void attachments(Ec2Client ec2, String instance, String instanceId, DeployedTemplate deployed,
      Placeholders values, List<HandMade> changes, List<String> notes) {
    Map<String, Object> properties = deployed.properties(instance);
    String property = properties.containsKey("SecurityGroupIds") ? "SecurityGroupIds" : "NetworkInterfaces";
    Map<String, String> expected = new LinkedHashMap<>(); // group id -> how the template names it
    List<Object> named = new ArrayList<>();
    for (Map<?, ?> eni : entries(properties.get("NetworkInterfaces"))) {
      named.addAll(eni.get("GroupSet") instanceof List<?> set ? set : List.of());
    }
    named.addAll(properties.get("SecurityGroupIds") instanceof List<?> ids ? ids : List.of());
    for (Object name : named) {
      String id = values.fill(String.valueOf(name));
      if (id == null) {
        notes.add("The security groups of " + instance + " were not compared: the template names one by a value"
            + " only CloudFormation knows.");
        return;
      }
      expected.put(id, String.valueOf(name).startsWith("${") ? values.logicalIdOf(id) + " (" + id + ")" : id);
    }
    List<NetworkInterface> enis = ec2.describeNetworkInterfacesPaginator(
        r -> r.filters(f -> f.name("attachment.instance-id").values(instanceId))).networkInterfaces().stream().toList();
    if (enis.isEmpty() || expected.isEmpty()) {
      return;
    }
    Set<String> missing = new LinkedHashSet<>(expected.keySet());
    for (NetworkInterface eni : enis) {
      eni.groups().forEach(g -> {
        if (!missing.remove(g.groupId()) && !expected.containsKey(g.groupId())) {
          changes.add(new HandMade(instance, INSTANCE, property, true, "security group " + g.groupId() + " ("
              + g.groupName() + ") attached by hand to " + eni.networkInterfaceId()));
        }
      });
    }
    missing.forEach(id -> changes.add(new HandMade(instance, INSTANCE, property, true, "security group "
        + expected.get(id) + " detached by hand")));
  }

  /**
   * CloudFormation's drift detection, where the endpoint has it: every drifted resource, each property difference
   * one change. The rules of groups the firewall comparison covered are left out (the same rule, said twice).
   */
  private static void drift(CloudFormationClient cfn, String stackName, Duration limit, EmulatorQuirks quirks,
      Set<String> comparedGroups, List<HandMade> changes, List<String> notes, PrintWriter out) {
    Optional<String> unsupported = quirks.noDriftDetection();
    if (unsupported.isPresent()) {
      notes.add("CloudFormation's drift detection was not run: " + unsupported.get() + ".");
      return;
    }
    out.printf("Detecting drift of stack %s before its change set (at most %d min)%n", stackName,
        limit.toMinutes());
    out.flush();
    DriftOutcome.StackResult result = StackDrift.detect(cfn, stackName, limit, quirks);
    if (result.failed()) {
      notes.add("CloudFormation's drift detection did not finish: " + (result.reason() == null
          ? result.detectionStatus() : result.reason()) + "; only the firewall was compared.");
      return;
    }
    for (StackResourceDrift d : result.drifted()) {
      if (d.stackResourceDriftStatus() == StackResourceDriftStatus.DELETED) {
        changes.add(new HandMade(d.logicalResourceId(), d.resourceType(), "", false, "deleted outside"
            + " CloudFormation (drift detection)"));
        continue;
      }
      for (PropertyDifference p : d.propertyDifferences()) {
        List<String> path = List.of(p.propertyPath().replaceFirst("^/", "").split("[/.]"));
        String property = path.get(0);
        if (SECURITY_GROUP.equals(d.resourceType()) && comparedGroups.contains(d.logicalResourceId())
            && property.startsWith("SecurityGroup")) {
          continue;
        }
        changes.add(new HandMade(d.logicalResourceId(), d.resourceType(), property, path.size() > 1,
            String.join("/", path) + " " + p.differenceTypeAsString() + ": " + shown(p.expectedValue()) + " -> "
                + shown(p.actualValue()) + " (drift detection)"));
      }
    }
    if (!result.notChecked().isEmpty()) {
      notes.add("CloudFormation cannot detect drift on " + String.join(", ", result.notChecked().stream()
          .map(d -> d.logicalResourceId() + " (" + d.resourceType() + ")").toList()) + ": not compared.");
    }
  }

  private static String shown(String value) {
    if (value == null || value.isEmpty()) {
      return "(absent)";
    }
    String line = value.replaceAll("\\s+", " ");
    return line.length() > SHOWN_VALUE ? line.substring(0, SHOWN_VALUE - 3) + "..." : line;
  }

  private static String physicalId(Map<String, StackResourceSummary> resources, String logicalId) {
    StackResourceSummary r = resources.get(logicalId);
    return r == null ? null : r.physicalResourceId();
  }

  private static String capitalized(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
