package com.benchsci.deployer.emulator;

import com.benchsci.deployer.stack.EmulatorQuirks;
import com.benchsci.deployer.template.Template;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * Every place where moto (5.2.1, the pinned emulator) differs from AWS in what the deployer relies on, and what the
 * deployer does about it. Each workaround applies AWS's documented behaviour itself, or names what moto cannot do;
 * none fakes an answer AWS would give.
 */
public final class MotoQuirks implements EmulatorQuirks {

  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

  private final URI endpoint;

  public MotoQuirks(URI endpoint) {
    this.endpoint = endpoint;
  }

  /**
   * moto answers a change set with the template and parameters already deployed by an empty change set, not
   * "didn't contain changes", once an executed change set has changed a parameter (its no-change test keeps
   * comparing with the parameters the stack was created with). So the deployer applies AWS's rule itself first:
   * the same template body and the same parameters (declared defaults included) change nothing.
   */
  @Override
  public Optional<String> knownUnchanged(CloudFormationClient cfn, Stack stack, Template template,
      Map<String, String> parameters) {
    if (!template.body().equals(cfn.getTemplate(r -> r.stackName(stack.stackId())).templateBody())) {
      return Optional.empty();
    }
    Map<String, String> wanted = new LinkedHashMap<>(template.parameterDefaults());
    wanted.putAll(parameters);
    Map<String, String> deployed = new LinkedHashMap<>();
    stack.parameters().forEach(p -> deployed.put(p.parameterKey(), p.parameterValue()));
    return deployed.equals(wanted)
        ? Optional.of("Same template and parameters as deployed, compared by the deployer: moto's own check is stale"
            + " after a parameter change")
        : Optional.empty();
  }

  /**
   * AWS marks a change set OBSOLETE once its stack was changed by another execution, so of two runs that raced to
   * create a stack only the first executes. moto keeps the change set AVAILABLE, and gives each CREATE change set a
   * stack of its own under the same name: the second run would create every resource again, and the first would take
   * the second's change set, still listed AVAILABLE, for a run in flight (AWS deletes it with the execution). Here a
   * change set is obsolete when another stack of its name exists beyond the empty placeholders.
   */
  @Override
  public String executionStatus(CloudFormationClient cfn, String stackName, String stackId, String status) {
    if (!"AVAILABLE".equals(status)) {
      return status;
    }
    boolean superseded = cfn.describeStacksPaginator().stacks().stream()
        .anyMatch(s -> s.stackName().equals(stackName) && !s.stackId().equals(stackId)
            && !"REVIEW_IN_PROGRESS".equals(s.stackStatusAsString())
            && !"DELETE_COMPLETE".equals(s.stackStatusAsString()));
    return superseded ? "OBSOLETE" : status;
  }

  /**
   * moto's CloudFormation ignores an AWS::S3::Bucket's VersioningConfiguration, so the artifact bucket comes out
   * unversioned although bootstrap.yaml says Enabled; versioning is turned on through the S3 API, as the template
   * asks. On AWS the template does it, and publishing refuses a bucket without versioning.
   */
  @Override
  public void prepareArtifactBucket(S3Client s3, String bucket, PrintWriter out) {
    if (s3.getBucketVersioning(r -> r.bucket(bucket)).status() == BucketVersioningStatus.ENABLED) {
      return;
    }
    s3.putBucketVersioning(r -> r.bucket(bucket)
        .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    out.printf("Versioning of %s enabled through the S3 API, as bootstrap.yaml says: moto's CloudFormation"
        + " ignores VersioningConfiguration.%n", bucket);
  }

  /**
   * moto computes no Outputs after ExecuteChangeSet. The ones that follow from the template and the stack's
   * resources ({@code !Ref Resource}, {@code !Sub} over resource ids) are derived; the rest are named as unknown,
   * never guessed.
   */
  @Override
  public Optional<Map<String, String>> missingOutputs(CloudFormationClient cfn, String stackName, Template template,
      PrintWriter out) {
    Map<String, String> physicalIds = new LinkedHashMap<>();
    physicalIds.put("AWS::Region", cfn.serviceClientConfiguration().region().id());
    for (StackResourceSummary r : cfn.listStackResourcesPaginator(b -> b.stackName(stackName))
        .stackResourceSummaries()) {
      physicalIds.put(r.logicalResourceId(), r.physicalResourceId());
    }
    Map<String, Object> declared = template.outputValues();
    Map<String, String> outputs = new LinkedHashMap<>();
    declared.forEach((name, value) -> {
      String resolved = resolve(value, physicalIds);
      if (resolved != null) {
        outputs.put(name, resolved);
      }
    });
    out.printf("Outputs of stack %s: the endpoint returned none (moto computes no Outputs after ExecuteChangeSet);"
        + " derived from the template and the stack's resources:%n", stackName);
    declared.keySet().forEach(k -> out.printf("  %-20s %s%n", k, outputs.getOrDefault(k, "(unknown here)")));
    return Optional.of(outputs);
  }

  /** The value of an output expression when it only refers to resources of the stack, else null. */
  static String resolve(Object value, Map<String, String> physicalIds) {
    if (!(value instanceof Map<?, ?> fn) || fn.size() != 1) {
      return value instanceof String s ? s : null;
    }
    if (fn.get("Ref") instanceof String ref) {
      return physicalIds.get(ref);
    }
    if (fn.get("Fn::Sub") instanceof String text) {
      Matcher m = SUB_VARIABLE.matcher(text);
      StringBuilder result = new StringBuilder();
      while (m.find()) {
        String id = physicalIds.get(m.group(1));
        if (id == null) {
          return null;
        }
        m.appendReplacement(result, Matcher.quoteReplacement(id));
      }
      m.appendTail(result);
      return result.toString();
    }
    return null;
  }

  /**
   * moto does not implement drift detection (DetectStackDrift answers with a server error, which the SDK would retry
   * for seconds): it is not asked.
   */
  @Override
  public Optional<String> noDriftDetection() {
    return Optional.of("the endpoint " + endpoint + " does not support drift detection (moto 5.2.1 does not"
        + " implement DetectStackDrift): run drift against AWS");
  }

  /**
   * moto's CreateChangeSet ignores {@code DeploymentMode} (its parser does not read it) and moto has no drift
   * detection: a drift-aware change set would silently be an ordinary one, which reverts nothing.
   */
  @Override
  public Optional<String> noDriftAwareChangeSets() {
    return Optional.of("the endpoint " + endpoint + " cannot make a drift-aware change set (moto 5.2.1 ignores"
        + " DeploymentMode REVERT_DRIFT and has no drift detection): nothing was changed; revert drift on AWS");
  }

  /**
   * moto's CloudFormation ignores an instance's NetworkInterfaces: the instance lands in the default VPC with that
   * VPC's default group, whatever the template says, so its groups are not compared with the template.
   */
  @Override
  public Optional<String> instanceGroupsNotAsTemplated() {
    return Optional.of("the security groups on the instance's network interfaces are not compared: moto 5.2.1"
        + " ignores an instance's NetworkInterfaces and gives it its VPC's default group");
  }

  /**
   * moto's DeleteStack deletes only the resource types it has a delete for: not AWS::EC2::VPCGatewayAttachment,
   * SubnetRouteTableAssociation, RouteTable or InternetGateway, so the gateway stays attached, the route table
   * associated, the VPC cannot go (DependencyViolation), and moto forgets the stack with all of them still there.
   * CloudFormation deletes each resource after those that depend on it; the deployer does that for these four
   * first, over the EC2 API, by the stack's own physical ids, and moto deletes the rest.
   */
  @Override
  public void beforeStackDeletion(CloudFormationClient cfn, Ec2Client ec2, String stackId, PrintWriter out) {
    Map<String, List<String>> ids = new LinkedHashMap<>();
    for (StackResourceSummary r : cfn.listStackResourcesPaginator(b -> b.stackName(stackId))
        .stackResourceSummaries()) {
      if (r.physicalResourceId() != null) {
        ids.computeIfAbsent(r.resourceType(), t -> new ArrayList<>()).add(r.physicalResourceId());
      }
    }
    List<String> deleted = new ArrayList<>();
    // moto's physical id of a gateway attachment is its VPC's id.
    for (String vpc : ids.getOrDefault("AWS::EC2::VPCGatewayAttachment", List.of())) {
      ec2.describeInternetGateways(d -> d.filters(f -> f.name("attachment.vpc-id").values(vpc)))
          .internetGateways().forEach(gateway -> {
            ec2.detachInternetGateway(d -> d.internetGatewayId(gateway.internetGatewayId()).vpcId(vpc));
            deleted.add("the attachment of " + gateway.internetGatewayId() + " to " + vpc);
          });
    }
    for (String table : ids.getOrDefault("AWS::EC2::RouteTable", List.of())) {
      ec2.describeRouteTables(d -> d.routeTableIds(table)).routeTables().forEach(t -> t.associations()
          .forEach(a -> ec2.disassociateRouteTable(d -> d.associationId(a.routeTableAssociationId()))));
      ec2.deleteRouteTable(d -> d.routeTableId(table));
      deleted.add(table + " with its routes and associations");
    }
    for (String gateway : ids.getOrDefault("AWS::EC2::InternetGateway", List.of())) {
      ec2.deleteInternetGateway(d -> d.internetGatewayId(gateway));
      deleted.add(gateway);
    }
    if (!deleted.isEmpty()) {
      out.printf("Deleted %s over the EC2 API first: moto's DeleteStack has no delete for them.%n",
          String.join(", ", deleted));
    }
  }

  /** moto runs no instance: its addresses are made up. */
  @Override
  public Optional<String> appUnreachable() {
    return Optional.of("an emulated address: moto runs no instance, so nothing answers there");
  }

  /** What moto 5.2.1 does not do at all, each seen in this build's tests against it (docs/rehearsal.md). */
  @Override
  public Optional<String> lacks(Capability capability) {
    return Optional.of(switch (capability) {
      case RUNNING_HOSTS -> "moto runs no instance: nothing boots, so nothing answers at the Elastic IP and no"
          + " cfn-hup runs (the host tests run the host under systemd-nspawn instead)";
      case HOOKS -> "moto has no CloudFormation Hooks: AWS::CloudFormation::GuardHook creates nothing that judges a"
          + " change set";
      case DRIFT_DETECTION -> "moto does not implement drift detection (DetectStackDrift answers HTTP 500)";
      case INSTANCE_NETWORK_INTERFACES -> "moto ignores the instance's NetworkInterfaces and attaches the default"
          + " VPC's default security group, so the live firewall is not the template's";
      case INSTANCE_REPLACEMENT -> "moto lists no change for a replace-only parameter change and replaces no"
          + " instance (it drops WebServer from the stack instead)";
    });
  }
}
