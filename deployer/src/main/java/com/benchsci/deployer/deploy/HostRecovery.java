package com.benchsci.deployer.deploy;

import com.benchsci.deployer.live.HostCheck;
import com.benchsci.deployer.stack.StackState;
import java.io.PrintWriter;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Brings back a host terminated outside CloudFormation: before the app stack's change set it looks at the deployed
 * host, and when its instance is gone says so and raises the host generation, so that the change set replaces the
 * instance (see {@link HostCheck}); otherwise it keeps the stack's generation, which must never change by accident.
 */
final class HostRecovery {

  private HostRecovery() {}

  /** Sets {@value HostCheck#GENERATION} in {@code parameters}; returns the recovery note for the review, or "". */
  static String prepare(CloudFormationClient cfn, Ec2Client ec2, Stack stack, Map<String, String> parameters,
      PrintWriter out) {
    String generation = HostCheck.currentGeneration(stack);
    HostCheck host = stack == null || StackState.of(stack.stackStatusAsString()) != StackState.UPDATE
        ? null : HostCheck.read(cfn, ec2, stack.stackName());
    String note = "";
    if (host != null && host.instanceGone()) {
      note = host.recoveryNote();
      String next = HostCheck.next(generation);
      out.println(note + ".");
      out.printf("  %s %s -> %s: CloudFormation replaces %s (new instance, Elastic IP moved to it).%n",
          HostCheck.GENERATION, generation, next, host.instanceLogicalId());
      generation = next;
    } else if (host != null) {
      host.problems().forEach(p -> out.println("WARNING: " + p + " (see the runbook: Recover the host)"));
    }
    parameters.put(HostCheck.GENERATION, generation);
    return note;
  }
}
