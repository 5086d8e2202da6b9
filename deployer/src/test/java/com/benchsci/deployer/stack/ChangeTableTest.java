package com.benchsci.deployer.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;
import software.amazon.awssdk.services.cloudformation.model.ResourceChangeDetail;
import software.amazon.awssdk.services.cloudformation.model.ResourceTargetDefinition;

class ChangeTableTest {

  private static final Change ADD_VPC = Change.builder().resourceChange(ResourceChange.builder()
      .action("Add").logicalResourceId("Vpc").resourceType("AWS::EC2::VPC").build()).build();

  private static final Change MODIFY_SG = Change.builder().resourceChange(ResourceChange.builder()
      .action("Modify").logicalResourceId("WebSecurityGroup").resourceType("AWS::EC2::SecurityGroup")
      .replacement("Conditional").scopeWithStrings("Properties")
      .details(ResourceChangeDetail.builder().changeSource("DirectModification").target(
          ResourceTargetDefinition.builder().attribute("Properties").name("SecurityGroupIngress")
              .requiresRecreation("Never").beforeValue("[80]").afterValue("[80|443]").build()).build(),
          ResourceChangeDetail.builder().changeSource("ParameterReference").causingEntity("VpcCidr").target(
              ResourceTargetDefinition.builder().attribute("Properties").name("VpcId")
                  .requiresRecreation("Always").build()).build())
      .build()).build();

  private static final Change TAGS_ONLY = Change.builder().resourceChange(ResourceChange.builder()
      .action("Modify").logicalResourceId("Vpc").resourceType("AWS::EC2::VPC").replacement("False")
      .scopeWithStrings("Tags").build()).build();

  @Test
  void rowsCarryActionIdTypeReplacementAndPropertyDetails() {
    ChangeTable table = ChangeTable.of(List.of(ADD_VPC, MODIFY_SG, TAGS_ONLY));
    assertThat(table.rows()).containsExactly(
        new ChangeTable.Row("Modify", "WebSecurityGroup", "AWS::EC2::SecurityGroup", "Conditional",
            "Properties.SecurityGroupIngress: [80] -> [80|443]; "
                + "Properties.VpcId (recreation: Always) (caused by VpcCidr)"),
        new ChangeTable.Row("Add", "Vpc", "AWS::EC2::VPC", "-", ""),
        new ChangeTable.Row("Modify", "Vpc", "AWS::EC2::VPC", "False", "scope: Tags"));
  }

  /**
   * A drift-aware change set (DeploymentMode REVERT_DRIFT) as DescribeChangeSet documents it: the resource's drift
   * status, each value before taken from the live resource (BeforeValueFrom ACTUAL_STATE) or, for SyncWithActual,
   * the new template taking the live value. The row says so, and the digest covers the row.
   */
  @Test
  void aDriftAwareChangeSetSaysWhatItFoundLiveAndWhatItPutsBack() {
    Change revert = Change.builder().resourceChange(r -> r.action("Modify").logicalResourceId("WebSecurityGroup")
        .resourceType("AWS::EC2::SecurityGroup").replacement("False").resourceDriftStatus("MODIFIED")
        .details(d -> d.changeSource("DirectModification").target(t -> t.attribute("Properties")
            .name("SecurityGroupIngress").requiresRecreation("Never").beforeValueFrom("ACTUAL_STATE")
            .beforeValue("[80|8080]").afterValue("[80]").attributeChangeType("Remove")),
            d -> d.changeSource("DirectModification").target(t -> t.attribute("Properties").name("Tags")
                .requiresRecreation("Never").beforeValueFrom("ACTUAL_STATE").beforeValue("[a]").afterValue("[a]")
                .attributeChangeType("SyncWithActual")))).build();
    assertThat(ChangeTable.of(List.of(revert)).rows()).containsExactly(new ChangeTable.Row("Modify",
        "WebSecurityGroup", "AWS::EC2::SecurityGroup", "False", "drift: MODIFIED; Properties.SecurityGroupIngress:"
            + " live [80|8080] -> [80]; Properties.Tags: live [a] -> [a] (the template takes the live value)"));
  }

  @Test
  void replacementsAndDeletionsComeFirstThenSecurityGroupRulesThenIamThenTheRest() {
    ChangeTable table = new ChangeTable(List.of(
        new ChangeTable.Row("Modify", "AppVersion", "AWS::SSM::Parameter", "False", ""),
        new ChangeTable.Row("Modify", "InstanceRole", "AWS::IAM::Role", "False", ""),
        new ChangeTable.Row("Add", "SshRule", "AWS::EC2::SecurityGroupIngress", "-", ""),
        new ChangeTable.Row("Modify", "WebSecurityGroup", "AWS::EC2::SecurityGroup", "False", ""),
        new ChangeTable.Row("Remove", "OldBucket", "AWS::S3::Bucket", "-", ""),
        new ChangeTable.Row("Modify", "WebServer", "AWS::EC2::Instance", "True", "")));
    assertThat(table.rows()).extracting(ChangeTable.Row::logicalId).containsExactly(
        "OldBucket", "WebServer", "SshRule", "WebSecurityGroup", "InstanceRole", "AppVersion");
  }
}
