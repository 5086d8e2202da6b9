package com.benchsci.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.deploy.HostImages;
import com.benchsci.deployer.emulator.MotoServer;
import com.benchsci.deployer.template.Template;
import com.benchsci.deployer.testing.MotoPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Both templates deployed to a real moto server with the AWS SDK, and what moto can show read back over the EC2
 * and S3 APIs: the security group is the firewall policy, rule for rule, with the VPC's own range; the image and
 * architecture follow the instance type; the Elastic IP is attached. (moto runs no cfn-init, sends no signal and
 * ignores security groups on instances: those parts are checked on the template and by the host boot test.)
 */
@Tag("emulator")
class MotoDeploymentTest {

  private static final Path ROOT = Path.of(System.getProperty("repo.root"));
  private static final Path TEMPLATES = ROOT.resolve("cloudformation");
  // Not the template's default, so a retyped 10.0.0.0/16 in the security group would show.
  private static final String VPC_CIDR = "10.42.0.0/16";
  private static final String ARTIFACT_KEY = "vertx-app/0123abcd.jar";

  private static MotoServer moto;
  private static CloudFormationClient cloudFormation;
  private static Ec2Client ec2;
  private static S3Client s3;
  private static Stack bootstrap;
  private static Stack app;

  @BeforeAll
  static void deployBothStacks() throws IOException {
    moto = MotoPool.shared().take();
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    cloudFormation = CloudFormationClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).build();
    ec2 = Ec2Client.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).build();
    s3 = S3Client.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).forcePathStyle(true).build();

    bootstrap = create("hello-host-bootstrap", "bootstrap.yaml", parameterFile("bootstrap-local.json"));
    List<Parameter> appParameters = parameterFile("stack-local.json");
    appParameters.add(parameter("ArtifactBucket", output(bootstrap, "ArtifactBucketName")));
    appParameters.add(parameter("ArtifactKey", ARTIFACT_KEY));
    appParameters.addAll(latestImages());
    appParameters.add(parameter("VpcCidr", VPC_CIDR));
    appParameters.add(parameter("PublicSubnetCidr", "10.42.0.0/24"));
    app = create("hello-host", "stack.yaml", appParameters);
  }

  @AfterAll
  static void stopMoto() {
    if (moto != null) {
      MotoPool.shared().give(moto);
    }
  }

  @Test
  void securityGroupIsExactlyTheFirewallPolicy() {
    SecurityGroup group = ec2.describeSecurityGroups(r -> r.groupIds(physicalId(app, "WebSecurityGroup")))
        .securityGroups().get(0);
    String vpcCidr = ec2.describeVpcs(r -> r.vpcIds(physicalId(app, "Vpc"))).vpcs().get(0).cidrBlock();

    assertThat(vpcCidr).isEqualTo(VPC_CIDR);
    assertThat(group.vpcId()).isEqualTo(physicalId(app, "Vpc"));
    assertThat(rules(group.ipPermissions())).containsExactlyInAnyOrder(
        "tcp 80-80 from 0.0.0.0/0",
        "tcp 443-443 from 0.0.0.0/0",
        "icmp -1--1 from 0.0.0.0/0",
        "tcp 22-22 from 104.154.0.0/15",
        "tcp 0-65535 from " + VPC_CIDR,
        "udp 0-65535 from " + VPC_CIDR);
    assertThat(rules(group.ipPermissionsEgress())).containsExactly("-1 all from 0.0.0.0/0");
  }

  @Test
  void hostRunsAmazonLinux2023ForTheArchitectureOfItsType() {
    Instance instance = instance(app);

    assertThat(instance.instanceTypeAsString()).isEqualTo("t4g.nano");
    assertThat(instance.architectureAsString()).isEqualTo("arm64");
    assertThat(image(instance)).startsWith("al2023-ami-").endsWith("-arm64");
  }

  @Test
  void x86TypeGetsTheX86Image() throws IOException {
    List<Parameter> parameters = parameterFile("stack-local.json");
    parameters.removeIf(p -> p.parameterKey().equals("InstanceType"));
    parameters.add(parameter("InstanceType", "t3.micro"));
    parameters.add(parameter("ArtifactBucket", output(bootstrap, "ArtifactBucketName")));
    parameters.add(parameter("ArtifactKey", ARTIFACT_KEY));
    parameters.addAll(latestImages());
    Stack x86 = create("hello-host-x86", "stack.yaml", parameters);

    Instance instance = instance(x86);

    assertThat(instance.architectureAsString()).isEqualTo("x86_64");
    assertThat(image(instance)).startsWith("al2023-ami-").endsWith("-x86_64");
  }

  @Test
  void elasticIpIsAttachedAndIsTheOutput() {
    String instanceId = output(app, "InstanceId");
    String publicIp = output(app, "PublicIp");

    var address = ec2.describeAddresses(r -> r.publicIps(publicIp)).addresses().get(0);

    assertThat(address.instanceId()).isEqualTo(instanceId);
    assertThat(output(app, "Url")).isEqualTo("http://" + publicIp + "/");
    assertThat(output(app, "HttpsUrl")).isEqualTo("https://" + publicIp + "/");
    assertThat(output(app, "SsmSessionCommand")).isEqualTo("aws ssm start-session --target " + instanceId
        + " --region us-east-1");
  }

  @Test
  void launchTemplateRequiresImdsV2WithHopLimitOne() {
    ResponseLaunchTemplateData data = ec2.describeLaunchTemplateVersions(
            r -> r.launchTemplateId(physicalId(app, "WebServerLaunchTemplate")))
        .launchTemplateVersions().get(0).launchTemplateData();

    assertThat(data.metadataOptions().httpTokensAsString()).isEqualTo("required");
    assertThat(data.metadataOptions().httpPutResponseHopLimit()).isEqualTo(1);
  }

  @Test
  void artifactBucketIsEncrypted() {
    // moto's CloudFormation applies only encryption and tags to a bucket; the rest is checked on the template.
    String bucket = output(bootstrap, "ArtifactBucketName");

    assertThat(s3.getBucketEncryption(r -> r.bucket(bucket)).serverSideEncryptionConfiguration().rules().get(0)
        .applyServerSideEncryptionByDefault().sseAlgorithmAsString()).isEqualTo("AES256");
  }

  @Test
  void bootstrapOutputsTheTwoRoles() {
    assertThat(output(bootstrap, "DeployRoleArn")).matches("arn:aws:iam::\\d{12}:role/hello-host-bootstrap-DeployRole-.+");
    assertThat(output(bootstrap, "ReviewRoleArn")).matches("arn:aws:iam::\\d{12}:role/hello-host-bootstrap-ReviewRole-.+");
  }

  /**
   * What moto does with the Guard Hook, stated as a test: with a rules version the bootstrap deploys, its template
   * keeps FirewallGuardHook, and moto creates nothing for it (moto 5.2.1 has no model for
   * AWS::CloudFormation::GuardHook: it logs "No Moto CloudFormation support" and skips the resource). So no hook
   * runs here; the rules are tested against hook-shaped inputs with the real cfn-guard instead (GuardHookInputsTest).
   */
  @Test
  void bootstrapWithAPinnedRulesVersionDeploysButMotoCreatesNoHook() throws IOException {
    List<Parameter> parameters = parameterFile("bootstrap-local.json");
    parameters.removeIf(p -> p.parameterKey().equals("AppStackName"));
    parameters.add(parameter("AppStackName", "hooked"));
    parameters.add(parameter("GuardRulesKey", "guard-rules/" + "0".repeat(64) + ".zip"));
    parameters.add(parameter("GuardRulesVersion", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"));
    Stack hooked = create("hooked-bootstrap", "bootstrap.yaml", parameters);

    assertThat(cloudFormation.getTemplate(r -> r.stackName(hooked.stackName())).templateBody())
        .contains("FirewallGuardHook:", "Type: AWS::CloudFormation::GuardHook");
    assertThat(cloudFormation.listStackResources(r -> r.stackName(hooked.stackName())).stackResourceSummaries())
        .extracting(r -> r.logicalResourceId())
        .contains("ArtifactBucket", "GuardReportsBucket")
        .doesNotContain("FirewallGuardHook");
  }

  private static Stack create(String name, String template, List<Parameter> parameters) throws IOException {
    String body = Files.readString(TEMPLATES.resolve(template));
    cloudFormation.createStack(r -> r.stackName(name).templateBody(body).parameters(parameters)
        .capabilities(Capability.CAPABILITY_IAM));
    WaiterResponse<DescribeStacksResponse> done = cloudFormation.waiter()
        .waitUntilStackCreateComplete(r -> r.stackName(name));
    Stack stack = done.matched().response().orElseThrow().stacks().get(0);
    assertThat(stack.stackStatus()).as("%s: %s", name, stack.stackStatusReason())
        .isEqualTo(StackStatus.CREATE_COMPLETE);
    return stack;
  }

  /** The image ids as the deployer resolves them for a new stack: moto serves the public AL2023 parameters. */
  private static List<Parameter> latestImages() {
    try (SsmClient ssm = SsmClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .build()) {
      return HostImages.latest(Template.load(TEMPLATES.resolve("stack.yaml")), ssm).entrySet().stream()
          .map(e -> parameter(e.getKey(), e.getValue())).toList();
    }
  }

  /** A parameter file in the AWS CLI format, as `--parameters file://...` reads it. */
  private static List<Parameter> parameterFile(String name) throws IOException {
    List<Map<String, String>> entries = new Yaml().load(Files.readString(TEMPLATES.resolve(name)));
    List<Parameter> parameters = new ArrayList<>();
    entries.forEach(e -> parameters.add(parameter(e.get("ParameterKey"), e.get("ParameterValue"))));
    return parameters;
  }

  private static Parameter parameter(String key, String value) {
    return Parameter.builder().parameterKey(key).parameterValue(value).build();
  }

  private static String output(Stack stack, String key) {
    return stack.outputs().stream().filter(o -> o.outputKey().equals(key)).map(Output::outputValue).findFirst()
        .orElseThrow(() -> new AssertionError(stack.stackName() + " has no output " + key));
  }

  private static String physicalId(Stack stack, String logicalId) {
    return cloudFormation.describeStackResources(r -> r.stackName(stack.stackName()).logicalResourceId(logicalId))
        .stackResources().get(0).physicalResourceId();
  }

  private static Instance instance(Stack stack) {
    return ec2.describeInstances(r -> r.instanceIds(output(stack, "InstanceId")))
        .reservations().get(0).instances().get(0);
  }

  private static String image(Instance instance) {
    return ec2.describeImages(r -> r.imageIds(instance.imageId())).images().get(0).name();
  }

  /** Every way a rule can admit traffic, one line per peer, so anything beyond the policy shows up. */
  private static Set<String> rules(List<IpPermission> permissions) {
    Set<String> rules = new HashSet<>();
    for (IpPermission p : permissions) {
      String ports = p.fromPort() == null ? "all" : p.fromPort() + "-" + p.toPort();
      String prefix = p.ipProtocol() + " " + ports + " from ";
      p.ipRanges().forEach(r -> rules.add(prefix + r.cidrIp()));
      p.ipv6Ranges().forEach(r -> rules.add(prefix + r.cidrIpv6()));
      p.prefixListIds().forEach(r -> rules.add(prefix + r.prefixListId()));
      p.userIdGroupPairs().forEach(r -> rules.add(prefix + r.groupId()));
    }
    return rules;
  }
}
