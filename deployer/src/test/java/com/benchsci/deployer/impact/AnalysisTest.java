package com.benchsci.deployer.impact;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.impact.Impact.Reachability;
import com.benchsci.deployer.impact.Impact.Replaced;
import com.benchsci.deployer.impact.Impact.Row;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;
import software.amazon.awssdk.services.cloudformation.model.ResourceChangeDetail;
import software.amazon.awssdk.services.cloudformation.model.ResourceTargetDefinition;

/**
 * The analysis of the app template's changes that a reviewer meets most: the instance type, the host generation,
 * the firewall's description, the launch template, the Elastic IP. Where a test hands in CloudFormation's own
 * answer, it is a change as DescribeChangeSet documents it (Replacement, per-detail RequiresRecreation, and
 * {{changeSet:KNOWN_AFTER_APPLY}} values): moto gives none, and no AWS account is reachable from here.
 */
@Tag("emulator")
class AnalysisTest {

  private final Map<String, Object> app = Stacks.app();

  @Test
  void anInstanceTypeChangeStopsAndStartsTheHostAndKeepsTheElasticIp() {
    Impact impact = withParameter("InstanceType", "t4g.small", List.of());
    Row host = row(impact, "WebServer");
    assertThat(host.replacement()).isEqualTo(Replaced.FALSE);
    assertThat(host.interruption()).isEqualTo(Interruption.SOME);
    assertThat(host.interruptionReason()).isEqualTo("InstanceType t4g.nano -> t4g.small: some interruption"
        + " (documented), the host stops and starts, about a minute or two (the app starts at boot)");
    assertThat(host.sources()).containsExactly("https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
        + "aws-resource-ec2-instance.html#cfn-ec2-instance-instancetype");
    assertThat(impact.rows()).extracting(Row::logicalId).containsExactly("WebServer");
    assertThat(impact.summary().reachability()).isEqualTo(Reachability.MINUTES);
    assertThat(impact.summary().firstLine()).startsWith("The site is unreachable for about a minute or two:"
        + " WebServer: InstanceType t4g.nano -> t4g.small: some interruption").contains(". Elastic IP kept. ");
  }

  @Test
  void aSecurityGroupDescriptionChangeReplacesTheGroupAndTheHostWhoseInterfaceNamesIt() {
    Impact impact = analyse(Stacks.withProperty(app, "WebSecurityGroup", "GroupDescription", "another"),
        Stacks.appParameters(), List.of());
    assertThat(row(impact, "WebSecurityGroup").replacement()).isEqualTo(Replaced.TRUE);
    assertThat(row(impact, "WebSecurityGroup").replacementReason()).isEqualTo("GroupDescription hello-host web"
        + " server firewall policy -> another: replacement (create-only in the resource schema)");
    Row host = row(impact, "WebServer");
    assertThat(host.replacement()).isEqualTo(Replaced.TRUE);
    assertThat(host.listed()).isFalse();
    assertThat(host.replacementReason()).startsWith("NetworkInterfaces/0/GroupSet/0 names the new WebSecurityGroup:"
        + " replacement");
    assertThat(impact.summary().reachability()).isEqualTo(Reachability.SECONDS);
    assertThat(impact.summary().because()).startsWith("WebServer is replaced: the new host is built beside the old"
        + " one, which serves until the new one has signalled a working app (CreationPolicy); then the Elastic IP"
        + " moves to it");
    assertThat(impact.summary().elasticIp()).isEqualTo("Elastic IP ElasticIp kept (its association is updated)");
  }

  @Test
  void aNewHostGenerationReplacesTheHostThroughTheConditionOnItsInterfaceDescription() {
    Row host = row(withParameter("HostGeneration", "1", List.of()), "WebServer");
    assertThat(host.replacement()).isEqualTo(Replaced.TRUE);
    assertThat(host.replacementReason()).startsWith("NetworkInterfaces/0/Description (none) -> hello-host-local web"
        + " server, generation 1: replacement (create-only in the resource schema)");
  }

  @Test
  void anInstanceTypeOfTheOtherArchitectureReplacesTheHostThroughItsImage() {
    Row host = row(withParameter("InstanceType", "t3.nano", List.of()), "WebServer");
    assertThat(host.replacement()).isEqualTo(Replaced.TRUE);
    assertThat(host.replacementReason()).startsWith("ImageId " + Stacks.ARM64_IMAGE + " -> " + Stacks.X86_IMAGE
        + ": replacement (create-only in the resource schema)");
  }

  @Test
  void cloudFormationsConditionalIsResolvedWhereTheTemplatesKnowBothValues() {
    Change conditional = change("WebServer", "Conditional", "InstanceType", "Conditionally", "t4g.small");
    Row stopStart = row(withParameter("InstanceType", "t4g.small", List.of(conditional)), "WebServer");
    assertThat(stopStart.replacement()).isEqualTo(Replaced.FALSE);
    assertThat(stopStart.listed()).isTrue();
    assertThat(stopStart.replacementReason()).endsWith("(CloudFormation: Conditional; resolved from the templates)");

    Change generation = change("WebServer", "Conditional", "NetworkInterfaces", "Always",
        "{{changeSet:KNOWN_AFTER_APPLY}}");
    Row replaced = row(withParameter("HostGeneration", "2", List.of(generation)), "WebServer");
    assertThat(replaced.replacement()).isEqualTo(Replaced.TRUE);
    assertThat(replaced.replacementReason()).endsWith("(CloudFormation: Conditional; resolved from the templates)");
  }

  @Test
  void whatCloudFormationKnowsOnlyAfterApplyIsReadFromTheTemplatesWhereTheyKnowIt() {
    Change knownAfterApply = change("WebServer", "Conditional", "InstanceType", "Conditionally",
        "{{changeSet:KNOWN_AFTER_APPLY}}");
    Row host = row(withParameter("InstanceType", "t4g.micro", List.of(knownAfterApply)), "WebServer");
    assertThat(host.replacementReason()).contains("; known after apply for CloudFormation, from the templates:"
        + " InstanceType = t4g.micro");
  }

  @Test
  void aLaunchTemplateChangeLeavesTheHostConditionalAndSaysWhy() {
    Map<String, Object> changed = Mutations.deepCopy(app);
    Map<String, Object> data = Evaluation.asMap(Evaluation.asMap(Stacks.declaration(changed,
        "WebServerLaunchTemplate").get("Properties")).get("LaunchTemplateData"));
    Evaluation.asMap(data.get("MetadataOptions")).put("HttpPutResponseHopLimit", 2);
    Impact impact = analyse(changed, Stacks.appParameters(), List.of());
    assertThat(row(impact, "WebServerLaunchTemplate").replacement()).isEqualTo(Replaced.FALSE);
    Row host = row(impact, "WebServer");
    assertThat(host.replacement()).isEqualTo(Replaced.CONDITIONAL);
    assertThat(host.replacementReason()).startsWith("LaunchTemplate/Version ${WebServerLaunchTemplate"
        + ".LatestVersionNumber} -> ${WebServerLaunchTemplate.LatestVersionNumber} (known after apply): replacement"
        + " if it changes, known after apply (create-only in the resource schema)");
    assertThat(impact.summary().reachability()).isEqualTo(Reachability.UNKNOWN);
  }

  @Test
  void cloudFormationsTrueAndFalseStandEvenWhereTheTemplatesSayOtherwise() {
    Change replaced = change("WebServer", "True", "Tags", "Never", "x");
    Map<String, Object> retagged = Stacks.withProperty(app, "WebServer", "Tags", List.of(Map.of("Key", "Name",
        "Value", "other")));
    Row host = row(analyse(retagged, Stacks.appParameters(), List.of(replaced)), "WebServer");
    assertThat(host.replacement()).isEqualTo(Replaced.TRUE);
    assertThat(host.interruption()).isEqualTo(Interruption.REPLACEMENT);
    assertThat(host.replacementReason()).isEqualTo("Tags/0/Value hello-host-local -> other: no interruption"
        + " (CloudFormation: True; the templates alone say False)");
  }

  @Test
  void aMetadataChangeUpdatesTheHostWithoutInterruption() {
    Map<String, Object> changed = Mutations.deepCopy(app);
    Map<String, Object> init = Evaluation.asMap(Evaluation.asMap(Stacks.declaration(changed, "WebServer")
        .get("Metadata")).get("AWS::CloudFormation::Init"));
    Evaluation.asMap(init.get("config")).put("commands", Map.of());
    Impact impact = analyse(changed, Stacks.appParameters(), List.of());
    Row host = row(impact, "WebServer");
    assertThat(host.replacement()).isEqualTo(Replaced.FALSE);
    assertThat(host.interruption()).isEqualTo(Interruption.NONE);
    assertThat(host.replacementReason()).startsWith("Metadata: no interruption");
    assertThat(impact.summary().reachability()).isEqualTo(Reachability.UP);
  }

  @Test
  void theElasticIpLeavingTheStackIsKeptByItsDeletionPolicyAndStillBilled() {
    Map<String, Object> changed = Mutations.deepCopy(app);
    Evaluation.asMap(changed.get("Resources")).remove("ElasticIp");
    Evaluation.asMap(changed.get("Outputs")).clear();
    Impact impact = analyse(changed, Stacks.appParameters(), List.of());
    assertThat(row(impact, "ElasticIp").action()).isEqualTo("Remove");
    assertThat(impact.summary().reachability()).isEqualTo(Reachability.NEW_ADDRESS);
    assertThat(impact.summary().elasticIp()).isEqualTo("Elastic IP ElasticIp is kept in the account (DeletionPolicy"
        + " Retain) but no longer serves the site");
    assertThat(impact.summary().after().basis()).contains("ElasticIp kept outside the stack");
  }

  @Test
  void aNewStackListsEveryResourceAsAdded() {
    Impact impact = Stacks.analysis().of(null, null, app, Stacks.appParameters(), List.of());
    assertThat(impact.rows()).hasSize(Evaluation.asMap(app.get("Resources")).size())
        .allSatisfy(r -> assertThat(r.action()).isEqualTo("Add"));
    assertThat(impact.summary().reachability()).isEqualTo(Reachability.CREATED);
    assertThat(impact.summary().firstLine()).startsWith("A new stack: the site comes up once the host has signalled"
        + " a working app. Elastic IP ElasticIp is added (a new address). Cost: $0.00 -> $7.36 a month (+$7.36);"
        + " not priced: ");
  }

  /**
   * The bootstrap stack's first step has no Guard Hook rules yet, so {@code HasGuardRules} leaves the hook and its role
   * out; moto lists them as added all the same. The row says why nothing happens to them, not "nothing to update".
   */
  @Test
  void aResourceItsConditionLeavesOutSaysSoWhateverTheChangeSetLists() {
    Map<String, String> parameters = Stacks.bootstrapParameters();
    parameters.put("GuardRulesKey", "");
    parameters.put("GuardRulesVersion", "");
    Change listedAsAdded = Change.builder().type("Resource").resourceChange(ResourceChange.builder().action("Add")
        .logicalResourceId("FirewallGuardHook").resourceType("AWS::CloudFormation::GuardHook").build()).build();

    Row hook = row(Stacks.analysis().of(null, null, Stacks.bootstrap(), parameters, List.of(listedAsAdded)),
        "FirewallGuardHook");

    assertThat(hook.interruptionReason()).isEqualTo("its Condition leaves it out before and after: nothing is made");
    assertThat(hook.costAfter()).isEqualTo(MonthlyCost.NONE);
  }

  private Impact withParameter(String name, String value, List<Change> changes) {
    Map<String, String> after = Stacks.appParameters();
    after.put(name, value);
    return Stacks.analysis().of(app, Stacks.appParameters(), app, after, changes);
  }

  private Impact analyse(Map<String, Object> after, Map<String, String> parameters, List<Change> changes) {
    return Stacks.analysis().of(app, Stacks.appParameters(), after, parameters, changes);
  }

  private static Row row(Impact impact, String id) {
    return impact.rows().stream().filter(r -> r.logicalId().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + id + " in " + impact.rows()));
  }

  /** A Modify change of {@code id} as DescribeChangeSet documents it, with one property detail. */
  private static Change change(String id, String replacement, String property, String recreation, String after) {
    return Change.builder().type("Resource").resourceChange(ResourceChange.builder().action("Modify")
        .logicalResourceId(id).resourceType("AWS::EC2::Instance").replacement(replacement).scopeWithStrings("Properties")
        .details(ResourceChangeDetail.builder().evaluation("Static").changeSource("ParameterReference")
            .target(ResourceTargetDefinition.builder().attribute("Properties").name(property)
                .requiresRecreation(recreation).afterValue(after).build())
            .build())
        .build()).build();
  }
}
