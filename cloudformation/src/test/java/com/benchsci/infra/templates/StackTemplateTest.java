package com.benchsci.infra.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** What moto cannot show (it runs no cfn-init and drops some properties), checked on the templates themselves. */
class StackTemplateTest {

  private static final Path STACK = Path.of(System.getProperty("repo.root"), "cloudformation", "stack.yaml");
  private static final Path BOOTSTRAP = Path.of(System.getProperty("repo.root"), "cloudformation", "bootstrap.yaml");
  private static final String[] INIT = {"Resources", "WebServer", "Metadata", "AWS::CloudFormation::Init", "config"};

  @Test
  void everyFirewallRuleSaysWhatItIsFor() {
    for (String list : List.of("SecurityGroupIngress", "SecurityGroupEgress")) {
      Node rules = TemplateNode.at(STACK, "Resources", "WebSecurityGroup", "Properties", list);
      for (Node rule : ((SequenceNode) rules).getValue()) {
        Node description = TemplateNode.child(rule, "Description");
        assertThat(description).as("%s rule at line %d has a Description", list, rule.getStartMark().getLine() + 1)
            .isInstanceOf(ScalarNode.class);
        assertThat(((ScalarNode) description).getValue()).isNotBlank();
      }
    }
  }

  @Test
  void cfnInitUsesOnlyTheStandardSections() {
    assertThat(keys(TemplateNode.at(STACK, INIT)))
        .containsExactly("packages", "files", "commands", "services");
    assertThat(keys(TemplateNode.at(STACK, "Resources", "WebServer", "Metadata", "AWS::CloudFormation::Init")))
        .containsExactly("config");
  }

  @Test
  void everyCfnInitRunRollsTheJarOutThroughTheSlots() {
    String[] rollout = path(INIT, "commands", "04-rollout");

    // No test: the script itself decides between "already serving" and a rollout, on every run cfn-hup triggers.
    assertThat(TemplateNode.text(STACK, path(rollout, "command"))).isEqualTo("/usr/local/sbin/hello-rollout");
    assertThat(keys(TemplateNode.at(STACK, rollout))).containsExactly("command");
    assertThat(keys(TemplateNode.at(STACK, path(INIT, "services", "systemd")))).containsExactly("cfn-hup");
    assertThat(TemplateNode.text(STACK, path(INIT, "files", "/opt/hello/vertx-app.jar", "authentication")))
        .isEqualTo("ArtifactAccess");
  }

  @Test
  void cfnHupRerunsCfnInitWhenTheMetadataChanges() {
    String hook = TemplateNode.text(STACK, path(INIT, "files", "/etc/cfn/hooks.d/cfn-auto-reloader.conf", "content"));

    assertThat(hook.lines()).contains("triggers=post.update",
        "path=Resources.WebServer.Metadata.AWS::CloudFormation::Init");
    assertThat(hook).contains("action=/opt/aws/bin/cfn-init -v --stack ${AWS::StackName} --resource WebServer");
  }

  @Test
  void userDataSignalsTheResultOfTheGreetingCheck() {
    Node base64 = TemplateNode.at(STACK, "Resources", "WebServer", "Properties", "UserData", "Fn::Base64");
    String script = ((ScalarNode) base64).getValue();

    assertThat(base64.getTag().getValue()).isEqualTo("!Sub");
    assertThat(script).containsSubsequence("/opt/aws/bin/cfn-init", "curl", "http://127.0.0.1/",
        "Hello World from BenchSci!", "/opt/aws/bin/cfn-signal -e \"$status\"");
    assertThat(TemplateNode.text(STACK, "Resources", "WebServer", "CreationPolicy", "ResourceSignal", "Timeout"))
        .isEqualTo("PT15M");
  }

  @Test
  void deployRoleIsForMasterOnlyAndReviewRoleExecutesNothing() {
    assertThat(subjectCondition("DeployRole")).endsWith("/user/*/vcs-origin/*/vcs-ref/refs/heads/master");
    assertThat(subjectCondition("ReviewRole")).endsWith("/user/*");
    // What each role may and may not do: BootstrapPolicyTableTest.
    assertThat(actions("DeployRole")).contains("cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet",
        "s3:PutObject").doesNotContain("ec2:ReleaseAddress");
  }

  @Test
  void aNewHostGenerationChangesTheInstancesNetworkInterfaceAndGenerationZeroNothing() {
    // NetworkInterfaces of AWS::EC2::Instance is replace-only: a new generation is a new instance (docs/operations.md).
    Node iface = ((SequenceNode) TemplateNode.at(STACK, "Resources", "WebServer", "Properties", "NetworkInterfaces"))
        .getValue().get(0);
    Node description = TemplateNode.child(iface, "Description");
    assertThat(description.getTag().getValue()).isEqualTo("!If");
    List<Node> branches = ((SequenceNode) description).getValue();
    assertThat(((ScalarNode) branches.get(0)).getValue()).isEqualTo("IsFirstHostGeneration");
    assertThat(((ScalarNode) branches.get(1)).getValue()).isEqualTo("AWS::NoValue");
    assertThat(((ScalarNode) branches.get(2)).getValue()).contains("${HostGeneration}");
    assertThat(texts(TemplateNode.at(STACK, "Conditions", "IsFirstHostGeneration")))
        .containsExactly("HostGeneration", "0");
    assertThat(TemplateNode.text(STACK, "Parameters", "HostGeneration", "Default")).isEqualTo("0");
  }

  @Test
  void reviewRoleMayDetectDriftAndReadTheLiveFirewallButChangeNothing() {
    assertThat(actions("ReviewRole")).contains("cloudformation:DetectStackDrift",
            "cloudformation:DescribeStackDriftDetectionStatus", "cloudformation:DescribeStackResourceDrifts",
            "ec2:Describe*")
        .doesNotContain("ec2:AuthorizeSecurityGroupIngress", "ec2:RunInstances", "cloudformation:ExecuteChangeSet");
    // The deployer's host check reads the instance and the Elastic IP directly, with either role.
    assertThat(actions("DeployRole")).contains("ec2:DescribeInstances", "ec2:DescribeAddresses");
  }

  @Test
  void artifactBucketKeepsVersionsForAWhile() {
    String[] bucket = {"Resources", "ArtifactBucket", "Properties"};

    assertThat(TemplateNode.text(BOOTSTRAP, path(bucket, "VersioningConfiguration", "Status"))).isEqualTo("Enabled");
    Node rule = ((SequenceNode) TemplateNode.at(BOOTSTRAP, path(bucket, "LifecycleConfiguration", "Rules")))
        .getValue().get(0);
    assertThat(TemplateNode.child(TemplateNode.child(rule, "NoncurrentVersionExpiration"), "NoncurrentDays"))
        .isInstanceOfSatisfying(ScalarNode.class, days -> assertThat(days.getValue()).isEqualTo("30"));
  }

  @SuppressWarnings("unchecked")
  private static String subjectCondition(String role) {
    // The trust policy is a !Sub'd JSON string: its condition keys name the issuer.
    String json = ((ScalarNode) TemplateNode.at(BOOTSTRAP, "Resources", role, "Properties",
        "AssumeRolePolicyDocument")).getValue();
    Map<String, Object> policy = new Yaml().load(json);
    Map<String, Object> statement = ((List<Map<String, Object>>) policy.get("Statement")).get(0);
    Map<String, Object> like = (Map<String, Object>) ((Map<String, Object>) statement.get("Condition"))
        .get("StringLike");
    return (String) like.get("oidc.circleci.com/org/${CircleCiOrgId}:sub");
  }

  /** Actions of a role's inline policies and of the template's managed policies it attaches. */
  /** The actions {@code role} is allowed (its Deny statements are BootstrapPolicyTableTest's). */
  private static List<String> actions(String role) {
    Node properties = TemplateNode.at(BOOTSTRAP, "Resources", role, "Properties");
    List<Node> documents = new ArrayList<>();
    ((SequenceNode) TemplateNode.child(properties, "Policies")).getValue()
        .forEach(policy -> documents.add(TemplateNode.child(policy, "PolicyDocument")));
    Node attached = TemplateNode.child(properties, "ManagedPolicyArns");
    if (attached != null) {
      for (Node arn : ((SequenceNode) attached).getValue()) {
        assertThat(arn.getTag().getValue()).as("managed policy of %s", role).isEqualTo("!Ref");
        documents.add(TemplateNode.at(BOOTSTRAP, "Resources", ((ScalarNode) arn).getValue(), "Properties",
            "PolicyDocument"));
      }
    }
    return documents.stream()
        .flatMap(document -> ((SequenceNode) TemplateNode.child(document, "Statement")).getValue().stream())
        .filter(statement -> "Allow".equals(((ScalarNode) TemplateNode.child(statement, "Effect")).getValue()))
        .flatMap(statement -> {
          Node action = TemplateNode.child(statement, "Action");
          return action instanceof ScalarNode one ? List.of(one.getValue()).stream() : texts(action).stream();
        })
        .toList();
  }

  private static List<String> keys(Node mapping) {
    return ((MappingNode) mapping).getValue().stream().map(NodeTuple::getKeyNode)
        .map(k -> ((ScalarNode) k).getValue()).toList();
  }

  private static List<String> texts(Node sequence) {
    return ((SequenceNode) sequence).getValue().stream().map(n -> ((ScalarNode) n).getValue()).toList();
  }

  private static String[] path(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }
}
