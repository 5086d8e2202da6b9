package com.benchsci.deployer.stack;

import com.benchsci.deployer.template.Template;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where an emulator differs from AWS, behind one interface chosen by the target: {@link #NONE} for AWS, which
 * does nothing, so the production path reads as the algorithm; the moto implementation (emulator.MotoQuirks)
 * holds every workaround, each with the reason. Nothing here fakes what an emulator cannot do: it says so.
 */
public interface EmulatorQuirks {

  /** AWS: CloudFormation behaves as documented; nothing to work around. */
  EmulatorQuirks NONE = new EmulatorQuirks() {};

  /** What AWS does beyond answering the API, which an emulator may not do at all (the rehearsal asks). */
  enum Capability {
    /** Instances boot and run their user data, so the app answers at the Elastic IP. */
    RUNNING_HOSTS,
    /** CloudFormation Hooks run: the Guard Hook judges every change set of the app stack. */
    HOOKS,
    /** DetectStackDrift compares every resource with its live state. */
    DRIFT_DETECTION,
    /** An instance gets the security groups that its NetworkInterfaces name in the template. */
    INSTANCE_NETWORK_INTERFACES,
    /** A change set that changes a replace-only property of an instance creates a new instance. */
    INSTANCE_REPLACEMENT
  }

  /** Why the endpoint cannot do {@code capability} at all; empty when it can (AWS can do them all). */
  default Optional<String> lacks(Capability capability) {
    return Optional.empty();
  }

  /**
   * Why an UPDATE of {@code stack} with this template and these parameters is known to change nothing, when the
   * endpoint's own answer to a change set cannot be trusted for it; empty means ask CloudFormation.
   */
  default Optional<String> knownUnchanged(CloudFormationClient cfn, Stack stack, Template template,
      Map<String, String> parameters) {
    return Optional.empty();
  }

  /**
   * The execution status to act on for a change set of stack {@code stackName} (on the stack {@code stackId}) that
   * was just described or listed with {@code status}. AWS reports OBSOLETE itself once the stack changed under the
   * change set (another run executed first), or deletes it with the execution.
   */
  default String executionStatus(CloudFormationClient cfn, String stackName, String stackId, String status) {
    return status;
  }

  /** Called just before a whole stack is deleted (the rehearsal's clean-up): AWS needs nothing. */
  default void beforeStackDeletion(CloudFormationClient cfn, Ec2Client ec2, String stackId, PrintWriter out) {}

  /** Called once the artifact bucket exists, before anything is published to it. */
  default void prepareArtifactBucket(S3Client s3, String bucket, PrintWriter out) {}

  /**
   * The outputs of a deployed stack when the endpoint reported none although the template declares some; empty
   * means there are none to give (on AWS, an empty list is the stack's answer).
   */
  default Optional<Map<String, String>> missingOutputs(CloudFormationClient cfn, String stackName,
      Template template, PrintWriter out) {
    return Optional.empty();
  }

  /** Why the endpoint has no drift detection at all (so it is not asked); empty where it has. */
  default Optional<String> noDriftDetection() {
    return Optional.empty();
  }

  /**
   * Why the endpoint cannot make a drift-aware change set ({@code DeploymentMode REVERT_DRIFT}), so a deploy asked
   * to revert drift must refuse rather than make an ordinary change set; empty where it can.
   */
  default Optional<String> noDriftAwareChangeSets() {
    return Optional.empty();
  }

  /**
   * Why the security groups on an instance's network interfaces are not the template's even where nobody changed
   * them by hand, so they tell nothing about hand-made changes; empty where they are the template's.
   */
  default Optional<String> instanceGroupsNotAsTemplated() {
    return Optional.empty();
  }

  /** Why nothing can answer at the app's URL although the deploy succeeded; empty when something should. */
  default Optional<String> appUnreachable() {
    return Optional.empty();
  }
}
