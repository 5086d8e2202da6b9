package com.benchsci.deployer.live;

import com.benchsci.deployer.core.DeployException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Whether the stack's host physically exists: its instance is not terminated or missing, its Elastic IP exists
 * and is associated with it. CloudFormation does not look (an ordinary change set compares templates, so a
 * host terminated by hand gives "No changes"); the deploy does, before its change set and after it.
 *
 * <p>Recovery is a deliberate replacement: the stack parameter {@value #GENERATION} appears in the instance's
 * network interface, a property CloudFormation can only change by replacing the instance, so raising it by one
 * makes an ordinary change set create a new instance, which the retained Elastic IP then follows. A drift-aware
 * change set ({@code DeploymentMode REVERT_DRIFT}, in the pinned SDK) is not used: whether it recreates a
 * deleted EC2 instance could not be established without an AWS account, and the replacement is documented
 * CloudFormation behaviour that shows in the review as "Replacement: True".
 */
public record HostCheck(String instanceLogicalId, String instanceId, String instanceState, String eipLogicalId,
    String publicIp, boolean eipExists, String eipInstanceId) {

  public static final String GENERATION = "HostGeneration";

  /** The host of {@code stack} as EC2 reports it; null when the stack has no instance among its resources. */
  public static HostCheck read(CloudFormationClient cfn, Ec2Client ec2, String stack) {
    StackResourceSummary instance = null;
    StackResourceSummary eip = null;
    for (StackResourceSummary r : cfn.listStackResourcesPaginator(b -> b.stackName(stack)).stackResourceSummaries()) {
      if ("AWS::EC2::Instance".equals(r.resourceType()) && instance == null) {
        instance = r;
      } else if ("AWS::EC2::EIP".equals(r.resourceType()) && eip == null) {
        eip = r;
      }
    }
    if (instance == null || instance.physicalResourceId() == null) {
      return null;
    }
    String instanceId = instance.physicalResourceId();
    String state = instanceState(ec2, instanceId);
    String publicIp = eip == null ? null : eip.physicalResourceId();
    Address address = publicIp == null ? null : address(ec2, publicIp);
    return new HostCheck(instance.logicalResourceId(), instanceId, state, eip == null ? null : eip.logicalResourceId(),
        publicIp, address != null, address == null ? null : address.instanceId());
  }

  /** The instance's state name, or null when EC2 does not know it any more. */
  private static String instanceState(Ec2Client ec2, String instanceId) {
    try {
      return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
          .flatMap(res -> res.instances().stream()).map(Instance::state).map(s -> s.nameAsString())
          .findFirst().orElse(null);
    } catch (Ec2Exception e) {
      if (e.awsErrorDetails() != null && "InvalidInstanceID.NotFound".equals(e.awsErrorDetails().errorCode())) {
        return null;
      }
      throw e;
    }
  }

  private static Address address(Ec2Client ec2, String publicIp) {
    try {
      return ec2.describeAddresses(r -> r.publicIps(publicIp)).addresses().stream().findFirst().orElse(null);
    } catch (Ec2Exception e) {
      if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
          && e.awsErrorDetails().errorCode().startsWith("InvalidAddress")) {
        return null;
      }
      throw e;
    }
  }

  /** Terminated, being terminated, or unknown to EC2: only a new instance brings the host back. */
  public boolean instanceGone() {
    return instanceState == null || "terminated".equals(instanceState) || "shutting-down".equals(instanceState);
  }

  boolean running() {
    return "running".equals(instanceState);
  }

  /** What the review says when the host must be recreated. */
  public String recoveryNote() {
    String how = instanceState == null ? "no longer exists (deleted outside CloudFormation)"
        : "was terminated outside CloudFormation";
    String eip = publicIp == null ? "" : eipExists ? "; the Elastic IP " + publicIp + " is kept"
        : "; its Elastic IP " + publicIp + " was released too, so the host gets a new address (update DNS)";
    return instanceLogicalId + " " + how + ": it will be created again" + eip;
  }

  /** What is wrong with the host, in plain words; empty when it runs and holds its Elastic IP. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (!running()) {
      problems.add(instanceLogicalId + " (" + instanceId + ") is " + (instanceState == null ? "unknown to EC2"
          : instanceState) + ", not running");
    }
    if (publicIp != null && !eipExists) {
      problems.add("the Elastic IP " + publicIp + " (" + eipLogicalId + ") no longer exists");
    } else if (publicIp != null && !instanceId.equals(eipInstanceId)) {
      problems.add("the Elastic IP " + publicIp + (eipInstanceId == null ? " is not associated with " + instanceId
          : " is associated with " + eipInstanceId + " instead of " + instanceId));
    }
    return problems;
  }

  /** The stack's current host generation ("0" for a new stack or one deployed before the parameter existed). */
  public static String currentGeneration(Stack stack) {
    if (stack == null || !stack.hasParameters()) {
      return "0";
    }
    return stack.parameters().stream().filter(p -> GENERATION.equals(p.parameterKey()))
        .map(Parameter::parameterValue).findFirst().orElse("0");
  }

  public static String next(String generation) {
    try {
      return Long.toString(Long.parseLong(generation) + 1);
    } catch (NumberFormatException e) {
      throw new DeployException("stack parameter " + GENERATION + " is not a whole number: " + generation);
    }
  }
}
