package com.benchsci.deployer.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.impact.DeployedTemplate;
import com.benchsci.deployer.impact.HandMade;
import com.benchsci.deployer.template.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * The firewall as EC2 lists it against the template a stack was deployed from: the rules the template gives a group
 * are no hand-made change however EC2 writes them (protocol names, address ranges by their network address, the
 * VPC's range for {@code !GetAtt Vpc.CidrBlock}, EC2's own egress rules for a group without any); every other rule is
 * one, and so is every rule of the template that is gone. The rules are shaped as DescribeSecurityGroupRules returns
 * them; the moto suites read them from a real emulator.
 */
class HandMadeChangesTest {

  private static final Placeholders STACK = Placeholders.of(Map.of("Vpc", "vpc-0a", "WebSecurityGroup", "sg-0b"),
      Map.of("Vpc", "10.0.0.0/16"));

  private final DeployedTemplate app = DeployedTemplate.of(Template.load(Path.of(System.getProperty("repo.root"),
      "cloudformation", "stack.yaml")).tree(), Map.of("Environment", "prod", "InstanceType", "t4g.nano"), "us-east-1");

  @Test
  void theTemplatesOwnRulesAsEc2ListsThemAreNoHandMadeChange() {
    assertThat(HandMadeChanges.compare("WebSecurityGroup", expected(app, "WebSecurityGroup"), policy()))
        .isEmpty();
  }

  @Test
  void aRuleAddedAndOneRemovedByHandAreOneChangeEach() {
    List<SecurityGroupRule> live = new ArrayList<>(policy());
    live.removeIf(r -> Integer.valueOf(22).equals(r.fromPort()));
    live.add(rule("sgr-0f", false, "tcp", 8080, 8080, "0.0.0.0/0"));
    List<HandMade> changes = HandMadeChanges.compare("WebSecurityGroup", expected(app, "WebSecurityGroup"), live);
    assertThat(changes).extracting(HandMade::what).containsExactly(
        "ingress tcp 8080 from 0.0.0.0/0 added by hand [sgr-0f]",
        "ingress tcp 22 from 104.154.0.0/15 removed by hand");
    assertThat(changes).allSatisfy(c -> {
      assertThat(c.property()).isEqualTo("SecurityGroupIngress");
      assertThat(c.element()).isTrue();
    });
  }

  @Test
  void aGroupWithoutEgressRulesHasEc2sAndProtocolsAndRangesCompareAsEc2KeepsThem() {
    DeployedTemplate template = DeployedTemplate.of(Template.parse("""
        Resources:
          Group:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: g
              SecurityGroupIngress:
                - {IpProtocol: "6", FromPort: "443", ToPort: "443", CidrIp: 10.17.0.0/15}
        """, "test"), Map.of(), "us-east-1");
    List<SecurityGroupRule> live = List.of(rule("sgr-1", false, "tcp", 443, 443, "10.16.0.0/15"),
        rule("sgr-2", true, "-1", -1, -1, "0.0.0.0/0"), rule("sgr-3", true, "-1", -1, -1, "::/0"));
    assertThat(HandMadeChanges.compare("Group", expected(template, "Group"), live)).isEmpty();
    assertThat(Cidr.canonical("2001:db8::1/32")).isEqualTo(Cidr.canonical("2001:0db8:0:0::/32"));
  }

  @Test
  void aValueOnlyCloudFormationKnowsLeavesTheGroupUncompared() {
    DeployedTemplate template = DeployedTemplate.of(Template.parse("""
        Resources:
          Peer: {Type: AWS::EC2::PrefixList}
          Group:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: g
              SecurityGroupIngress:
                - {IpProtocol: tcp, FromPort: 80, ToPort: 80, SourcePrefixListId: !GetAtt Peer.PrefixListId}
        """, "test"), Map.of(), "us-east-1");
    assertThat(HandMadeChanges.expectedRules("Group", template, STACK)).isEmpty();
  }

  private static List<HandMadeChanges.Rule> expected(DeployedTemplate template, String group) {
    return HandMadeChanges.expectedRules(group, template, STACK).orElseThrow();
  }

  /** The rules of stack.yaml's WebSecurityGroup as EC2 lists them (the VPC's range for !GetAtt Vpc.CidrBlock). */
  private static List<SecurityGroupRule> policy() {
    return List.of(rule("sgr-1", false, "tcp", 80, 80, "0.0.0.0/0"), rule("sgr-2", false, "tcp", 443, 443, "0.0.0.0/0"),
        rule("sgr-3", false, "icmp", -1, -1, "0.0.0.0/0"), rule("sgr-4", false, "tcp", 22, 22, "104.154.0.0/15"),
        rule("sgr-5", false, "tcp", 0, 65535, "10.0.0.0/16"), rule("sgr-6", false, "udp", 0, 65535, "10.0.0.0/16"),
        rule("sgr-7", true, "-1", -1, -1, "0.0.0.0/0"));
  }

  private static SecurityGroupRule rule(String id, boolean egress, String protocol, int from, int to, String cidr) {
    SecurityGroupRule.Builder b = SecurityGroupRule.builder().securityGroupRuleId(id).groupId("sg-0b")
        .isEgress(egress).ipProtocol(protocol).fromPort(from).toPort(to);
    return (cidr.contains(":") ? b.cidrIpv6(cidr) : b.cidrIpv4(cidr)).build();
  }
}
