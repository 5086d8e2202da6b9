package com.benchsci.deployer.impact;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.impact.HandMade.Judged;
import com.benchsci.deployer.impact.HandMade.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.AttributeChangeType;
import software.amazon.awssdk.services.cloudformation.model.BeforeValueFrom;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ResourceAttribute;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDriftStatus;

/**
 * What a deploy of the app template does to what was changed by hand, judged from the change as the analysis sees
 * it: kept where the change set leaves the resource's property alone (an ordinary change set compares templates),
 * reverted where it replaces the resource or sets the property's whole value, "may be" where it rewrites a list the
 * hand-made entry is one of. The drift-aware cases take a change as DescribeChangeSet documents it for a change set
 * made with DeploymentMode REVERT_DRIFT (BeforeValueFrom, AttributeChangeType, the resource's drift status): moto
 * makes none, and no AWS account is reachable from here.
 */
class HandMadeTest {

  private static final HandMade RULE = new HandMade("WebSecurityGroup", "AWS::EC2::SecurityGroup",
      "SecurityGroupIngress", true, "ingress tcp 8080 from 0.0.0.0/0 added by hand [sgr-0a1]");
  private static final HandMade DEBUG_GROUP = new HandMade("WebServer", "AWS::EC2::Instance", "NetworkInterfaces",
      true, "security group sg-0d (debug) attached by hand to eni-0e");
  private static final HandMade BIGGER_HOST = new HandMade("WebServer", "AWS::EC2::Instance", "InstanceType", false,
      "InstanceType NOT_EQUAL: t4g.nano -> t4g.medium (drift detection)");

  private final Map<String, Object> app = Stacks.app();

  @Test
  void aChangeThatLeavesTheGroupAloneKeepsTheRuleAddedByHand() {
    Judged rule = only(judge(withInstanceType("t4g.small"), List.of(), false, RULE));
    assertThat(rule.verdict()).isEqualTo(Verdict.KEPT);
    assertThat(rule.why()).isEqualTo("the change set does not change WebSecurityGroup's SecurityGroupIngress: an"
        + " ordinary change set compares the templates, not the live state (--revert-drift reverts it on AWS)");
  }

  @Test
  void aReplacedGroupAndTheHostReplacedWithItRevertWhatWasMadeByHandOnThem() {
    Impact replaced = Stacks.analysis().of(app, Stacks.appParameters(),
        Stacks.withProperty(app, "WebSecurityGroup", "GroupDescription", "another"), Stacks.appParameters(),
        List.of());
    List<Judged> judged = HandMade.judge(List.of(RULE, DEBUG_GROUP), replaced, List.of(), false);
    assertThat(judged).extracting(Judged::verdict).containsExactly(Verdict.REVERTED, Verdict.REVERTED);
    assertThat(judged.get(0).why()).isEqualTo("WebSecurityGroup is replaced: the new one is built from the template"
        + " alone");
    assertThat(judged.get(1).why()).isEqualTo("WebServer is replaced: the new one is built from the template alone");
  }

  @Test
  void aNewRuleInTheTemplateRewritesTheGroupsRulesSoTheOneAddedByHandMayGo() {
    Map<String, Object> withSsh = Mutations.deepCopy(app);
    List<Object> ingress = new ArrayList<>((List<?>) Evaluation.asMap(Stacks.declaration(withSsh, "WebSecurityGroup")
        .get("Properties")).get("SecurityGroupIngress"));
    ingress.add(Map.of("IpProtocol", "tcp", "FromPort", 2222, "ToPort", 2222, "CidrIp", "104.154.0.0/15"));
    withSsh = Stacks.withProperty(withSsh, "WebSecurityGroup", "SecurityGroupIngress", ingress);
    Impact impact = Stacks.analysis().of(app, Stacks.appParameters(), withSsh, Stacks.appParameters(), List.of());
    Judged rule = only(HandMade.judge(List.of(RULE), impact, List.of(), false));
    assertThat(rule.verdict()).isEqualTo(Verdict.MAY_BE_REVERTED);
    assertThat(rule.why()).isEqualTo("the change set sets WebSecurityGroup's SecurityGroupIngress anew; whether"
        + " CloudFormation keeps entries that neither template has is not documented");
  }

  @Test
  void aPropertyChangedByHandThatTheTemplateChangesTooIsOverwritten() {
    Judged host = only(judge(withInstanceType("t4g.small"), List.of(), false, BIGGER_HOST));
    assertThat(host.verdict()).isEqualTo(Verdict.REVERTED);
    assertThat(host.why()).isEqualTo("the change set sets WebServer's InstanceType to the new template's value,"
        + " overwriting the live one");
  }

  @Test
  void aDriftAwareChangeSetRevertsWhatItListsAndSaysNothingOfTheRest() {
    Change revert = drifted("WebSecurityGroup", "SecurityGroupIngress", AttributeChangeType.REMOVE);
    Impact unchanged = Stacks.analysis().of(app, Stacks.appParameters(), app, Stacks.appParameters(),
        List.of(revert));
    List<Judged> judged = HandMade.judge(List.of(RULE, DEBUG_GROUP), unchanged, List.of(revert), true);
    assertThat(judged).extracting(Judged::verdict).containsExactly(Verdict.REVERTED, Verdict.KEPT);
    assertThat(judged.get(0).why()).isEqualTo("the drift-aware change set sets WebSecurityGroup's"
        + " SecurityGroupIngress back to the template (it lists the live value as the value before)");
    assertThat(judged.get(1).why()).isEqualTo("the drift-aware change set does not list it (CloudFormation may not"
        + " detect drift on it)");

    Change sync = drifted("WebSecurityGroup", "SecurityGroupIngress", AttributeChangeType.SYNC_WITH_ACTUAL);
    assertThat(only(HandMade.judge(List.of(RULE), unchanged, List.of(sync), true)).verdict())
        .as("the new template takes the live value").isEqualTo(Verdict.KEPT);
  }

  @Test
  void aResourceDeletedByHandIsMadeAgainOnlyByADriftAwareChangeSet() {
    HandMade gone = new HandMade("ElasticIp", "AWS::EC2::EIP", "", false, "deleted outside CloudFormation (drift"
        + " detection)");
    assertThat(only(judge(withInstanceType("t4g.small"), List.of(), false, gone)).verdict())
        .as("an ordinary change set that does not touch it").isEqualTo(Verdict.KEPT);
    Change recreate = Change.builder().resourceChange(r -> r.logicalResourceId("ElasticIp").action("Modify")
        .resourceType("AWS::EC2::EIP").resourceDriftStatus(StackResourceDriftStatus.DELETED)).build();
    Impact impact = Stacks.analysis().of(app, Stacks.appParameters(), app, Stacks.appParameters(),
        List.of(recreate));
    Judged again = only(HandMade.judge(List.of(gone), impact, List.of(recreate), true));
    assertThat(again.verdict()).isEqualTo(Verdict.REVERTED);
    assertThat(again.why()).isEqualTo("the drift-aware change set creates ElasticIp again");
  }

  private Impact withInstanceType(String type) {
    Map<String, String> parameters = Stacks.appParameters();
    parameters.put("InstanceType", type);
    return Stacks.analysis().of(app, Stacks.appParameters(), app, parameters, List.of());
  }

  private static List<Judged> judge(Impact impact, List<Change> changes, boolean driftAware, HandMade... found) {
    return HandMade.judge(List.of(found), impact, changes, driftAware);
  }

  private static Judged only(List<Judged> judged) {
    assertThat(judged).hasSize(1);
    return judged.get(0);
  }

  /** A property a drift-aware change set lists, its value before being the live one. */
  private static Change drifted(String logicalId, String property, AttributeChangeType change) {
    return Change.builder().resourceChange(r -> r.logicalResourceId(logicalId).action("Modify")
        .resourceType("AWS::EC2::SecurityGroup").replacement("False")
        .resourceDriftStatus(StackResourceDriftStatus.MODIFIED)
        .details(d -> d.target(t -> t.attribute(ResourceAttribute.PROPERTIES).name(property)
            .beforeValueFrom(BeforeValueFrom.ACTUAL_STATE).attributeChangeType(change).requiresRecreation("Never")
            .beforeValue("[...8080...]").afterValue("[...]")))).build();
  }
}
