package com.benchsci.infra.templates;

import static com.benchsci.infra.templates.BootstrapPolicies.BOOTSTRAP_STACK;
import static com.benchsci.infra.templates.BootstrapPolicies.BUCKET;
import static com.benchsci.infra.templates.BootstrapPolicies.STACK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CircleCI roles' permissions as a table of allowed and denied requests, checked against the IAM policies in
 * bootstrap.yaml as IAM evaluates them ({@link BootstrapPolicies}). The last column is the request's context: the
 * condition keys the request carries (none when empty). A "deny" row whose statement has a condition gives the context
 * most favourable to the allow, so it is denied whatever the request carries.
 */
class BootstrapPolicyTableTest {

  private static final String VIA_CLOUDFORMATION = "aws:CalledVia=cloudformation.amazonaws.com";
  /** A review's change set: hello-host-review-commit-time-random (the deployer's review runs; see bootstrap.yaml). */
  private static final String REVIEW_CHANGE_SET =
      "cloudformation:ChangeSetName=hello-host-review-0123abcd4567-20261203-101500-1a2b3c4d";
  /** A deploy's change set: hello-host-commit-time-random (Cli.changeSetName). */
  private static final String DEPLOY_CHANGE_SET =
      "cloudformation:ChangeSetName=hello-host-0123abcd4567-20261203-101500-1a2b3c4d";

  @ParameterizedTest(name = "{0} {1} {2} [{4}]: {3}")
  @CsvSource(nullValues = "-", value = {
      // The review role runs any branch's code: it may preview, never change or delete.
      "ReviewRole, cloudformation:CreateChangeSet, STACK, allow, " + REVIEW_CHANGE_SET,
      "ReviewRole, cloudformation:DescribeChangeSet, STACK, allow, -",
      "ReviewRole, cloudformation:DescribeStacks, BOOTSTRAP_STACK, allow, -",
      "ReviewRole, ssm:GetParameter, arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64, allow, -",
      "ReviewRole, s3:GetObject, BUCKET/vertx-app/abc.jar, allow, -",
      "ReviewRole, cloudformation:ExecuteChangeSet, STACK, deny, -",
      "ReviewRole, cloudformation:DeleteStack, STACK, deny, -",
      "ReviewRole, cloudformation:UpdateStack, STACK, deny, -",
      "ReviewRole, cloudformation:UpdateTerminationProtection, STACK, deny, -",
      "ReviewRole, cloudformation:ExecuteChangeSet, BOOTSTRAP_STACK, deny, -",
      "ReviewRole, ec2:TerminateInstances, *, deny, " + VIA_CLOUDFORMATION,
      "ReviewRole, ec2:ReleaseAddress, *, deny, " + VIA_CLOUDFORMATION,
      "ReviewRole, ec2:DeleteSecurityGroup, *, deny, " + VIA_CLOUDFORMATION,
      "ReviewRole, iam:DeleteRole, arn:aws:iam::123456789012:role/hello-host-InstanceRole-ABC, deny, " + VIA_CLOUDFORMATION,
      "ReviewRole, s3:PutObject, BUCKET/vertx-app/abc.jar, deny, -",
      "ReviewRole, s3:DeleteObject, BUCKET/vertx-app/abc.jar, deny, -",
      "ReviewRole, ssm:GetParameter, arn:aws:ssm:us-east-1:123456789012:parameter/secret, deny, -",
      // It deletes only its own review change sets, never a deploy's pending one (the names differ: REVIEW_CHANGE_SET).
      "ReviewRole, cloudformation:DeleteChangeSet, STACK, allow, " + REVIEW_CHANGE_SET,
      "ReviewRole, cloudformation:DeleteChangeSet, BOOTSTRAP_STACK, allow, " + REVIEW_CHANGE_SET,
      "ReviewRole, cloudformation:DeleteChangeSet, STACK, deny, " + DEPLOY_CHANGE_SET,
      "ReviewRole, cloudformation:DeleteChangeSet, STACK, deny, cloudformation:ChangeSetName=arn:aws:cloudformation:us-east-1:123456789012:changeSet/hello-host-0123abcd4567-20261203-101500-1a2b3c4d/1",
      "ReviewRole, cloudformation:CreateChangeSet, STACK, deny, " + DEPLOY_CHANGE_SET,
      // The deploy role (master only) changes the app stack through CloudFormation, never the bootstrap stack.
      "DeployRole, cloudformation:ExecuteChangeSet, STACK, allow, -",
      "DeployRole, cloudformation:UpdateTerminationProtection, STACK, allow, -",
      "DeployRole, s3:PutObject, BUCKET/vertx-app/abc.jar, allow, -",
      "DeployRole, ssm:GetParameter, arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64, allow, -",
      "DeployRole, ec2:RunInstances, *, allow, " + VIA_CLOUDFORMATION,
      "DeployRole, ec2:RunInstances, *, deny, -",
      // Before each change set, as the review did: the stacks' drift and the live firewall (read only).
      "DeployRole, cloudformation:DetectStackDrift, STACK, allow, -",
      "DeployRole, cloudformation:DescribeStackResourceDrifts, BOOTSTRAP_STACK, allow, -",
      "DeployRole, ec2:DescribeSecurityGroupRules, *, allow, -",
      "DeployRole, ec2:AuthorizeSecurityGroupIngress, *, deny, -",
      "DeployRole, cloudformation:ExecuteChangeSet, BOOTSTRAP_STACK, deny, -",
      "DeployRole, cloudformation:DeleteStack, BOOTSTRAP_STACK, deny, -",
      "DeployRole, ec2:ReleaseAddress, *, deny, " + VIA_CLOUDFORMATION,
      "DeployRole, s3:DeleteObject, BUCKET/vertx-app/abc.jar, deny, -",
      "DeployRole, iam:CreateRole, arn:aws:iam::123456789012:role/someone-else, deny, " + VIA_CLOUDFORMATION,
      "DeployRole, iam:PassRole, arn:aws:iam::123456789012:role/someone-else, deny, iam:PassedToService=ec2.amazonaws.com",
      // The instance role: passed to EC2 by RunInstances, and into its instance profile by AddRoleToInstanceProfile,
      // where IAM checks iam:PassRole without documenting iam:PassedToService (IAM API Reference,
      // AddRoleToInstanceProfile: "The caller of this operation must be granted the PassRole permission on the IAM
      // role by a permissions policy.", https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html).
      "DeployRole, iam:PassRole, INSTANCE_ROLE, allow, iam:PassedToService=ec2.amazonaws.com",
      "DeployRole, iam:PassRole, INSTANCE_ROLE, allow, -",
      "DeployRole, iam:PassRole, INSTANCE_ROLE, deny, iam:PassedToService=lambda.amazonaws.com",
      "DeployRole, iam:AddRoleToInstanceProfile, arn:aws:iam::123456789012:instance-profile/hello-host-InstanceProfile-1A2B3C4D5E6F, allow, " + VIA_CLOUDFORMATION,
      // The bootstrap stack's own roles share the app stack's name as a prefix (hello-host-bootstrap-...): the deploy
      // role may neither change them nor pass them.
      "DeployRole, iam:PassRole, arn:aws:iam::123456789012:role/hello-host-bootstrap-DeployRole-1A2B3C4D5E6F, deny, iam:PassedToService=ec2.amazonaws.com",
      "DeployRole, iam:PutRolePolicy, arn:aws:iam::123456789012:role/hello-host-bootstrap-DeployRole-1A2B3C4D5E6F, deny, " + VIA_CLOUDFORMATION,
      "DeployRole, iam:AttachRolePolicy, arn:aws:iam::123456789012:role/hello-host-bootstrap-ReviewRole-1A2B3C4D5E6F, deny, " + VIA_CLOUDFORMATION + ";iam:PolicyARN=arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
  })
  void theRolesMayDoExactlyWhatTheTableSays(String role, String action, String resource, String expected,
      String context) {
    String arn = resource.replace("BOOTSTRAP_STACK", BOOTSTRAP_STACK).replace("STACK", STACK)
        .replace("BUCKET", BUCKET).replace("INSTANCE_ROLE", "arn:aws:iam::123456789012:role/hello-host-InstanceRole-1A2B3C4D5E6F");
    assertThat(BootstrapPolicies.decide(role, action, arn, context(context))).isEqualTo(expected);
  }

  /**
   * The Guard Hook's execution role is assumed by CloudFormation's hooks service for this account's hook only.
   * "We recommend using the aws:SourceArn and aws:SourceAccount global condition context keys in resource policies to
   * limit the permissions that AWS CloudFormation gives another service to the extension [...] The value of
   * aws:SourceArn must use the extension's ARN [...] If you don't know the full ARN of the extension [...] use the
   * aws:SourceArn global context condition key with wildcards (*) for the unknown portions of the ARN." (CloudFormation
   * User Guide, Confused deputy prevention, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/registry.html#cross-service-confused-deputy-prevention;
   * the hook's trust policy: Hooks User Guide, Prepare to create a Guard Hook,
   * https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/guard-hooks-prepare-to-create-hook.html).
   */
  @ParameterizedTest(name = "{0} assumes GuardHookExecutionRole [{1}]: {2}")
  @CsvSource(nullValues = "-", value = {
      "hooks.cloudformation.amazonaws.com, aws:SourceAccount=123456789012;aws:SourceArn=arn:aws:cloudformation:us-east-1:123456789012:type/hook/Private-Guard-HelloHostFirewall, allow",
      "hooks.cloudformation.amazonaws.com, aws:SourceAccount=999999999999;aws:SourceArn=arn:aws:cloudformation:us-east-1:999999999999:type/hook/Private-Guard-HelloHostFirewall, deny",
      "hooks.cloudformation.amazonaws.com, aws:SourceAccount=123456789012;aws:SourceArn=arn:aws:cloudformation:us-east-1:123456789012:type/resource/Some-Other-Extension, deny",
      "hooks.cloudformation.amazonaws.com, -, deny",
      "resources.cloudformation.amazonaws.com, aws:SourceAccount=123456789012;aws:SourceArn=arn:aws:cloudformation:us-east-1:123456789012:type/hook/Private-Guard-HelloHostFirewall, deny",
  })
  void theGuardHookRoleTrustsOnlyThisAccountsHooks(String service, String context, String expected) {
    assertThat(BootstrapPolicies.trusts("GuardHookExecutionRole", service, context(context))).isEqualTo(expected);
  }

  /** "key=value;key=value" as a request context; null for none. */
  static Map<String, String> context(String keys) {
    return keys == null ? Map.of() : Arrays.stream(keys.split(";")).map(kv -> kv.split("=", 2))
        .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
  }
}
