package com.benchsci.deployer.stack;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetSummary;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/** The engine's CloudFormation calls on whole stacks: look one up, list its change sets, delete, protect. */
public final class Stacks {

  private final CloudFormationClient cfn;
  private final PrintWriter out;

  public Stacks(CloudFormationClient cfn, PrintWriter out) {
    this.cfn = cfn;
    this.out = out;
  }

  /** The stack named {@code stackName} (or with that id), or null when there is none. */
  public Stack find(String stackName) {
    try {
      return cfn.describeStacks(r -> r.stackName(stackName)).stacks().stream().findFirst().orElse(null);
    } catch (CloudFormationException e) {
      if (doesNotExist(e)) {
        return null;
      }
      throw e;
    }
  }

  /** The stack's status, or null when it does not exist. */
  String status(String stackName) {
    Stack stack = find(stackName);
    return stack == null ? null : stack.stackStatusAsString();
  }

  /** The change sets of the live stack named {@code stackName} (filtered by name: an endpoint may list more). */
  List<ChangeSetSummary> changeSets(String stackName) {
    try {
      return cfn.listChangeSetsPaginator(r -> r.stackName(stackName)).summaries().stream()
          .filter(s -> stackName.equals(s.stackName())).toList();
    } catch (CloudFormationException e) {
      if (doesNotExist(e)) {
        return List.of();
      }
      throw e;
    }
  }

  /** Whether the stack {@code stackId} is still the empty placeholder an unexecuted CREATE change set made. */
  boolean isEmptyPlaceholder(String stackId) {
    Stack stack = find(stackId);
    if (stack == null || !"REVIEW_IN_PROGRESS".equals(stack.stackStatusAsString())) {
      return false;
    }
    return cfn.listChangeSetsPaginator(r -> r.stackName(stackId)).summaries().stream()
        .noneMatch(s -> stackId.equals(s.stackId()));
  }

  void deleteChangeSet(String stackName, String changeSetName) {
    cfn.deleteChangeSet(r -> r.stackName(stackName).changeSetName(changeSetName));
  }

  /** Deletes the stack without waiting (an empty placeholder goes at once). */
  void deleteNow(String stackNameOrId) {
    cfn.deleteStack(r -> r.stackName(stackNameOrId));
  }

  /** Deletes the stack and waits until it is gone. */
  void delete(String stackName, Duration waitLimit) {
    cfn.deleteStack(r -> r.stackName(stackName));
    cfn.waiter().waitUntilStackDeleteComplete(r -> r.stackName(stackName),
        w -> w.backoffStrategyV2(BackoffStrategy.exponentialDelay(Duration.ofSeconds(1), Duration.ofSeconds(15)))
            .waitTimeout(waitLimit));
    out.printf("Deleted stack %s.%n", stackName);
  }

  /** Termination protection on; an endpoint that refuses it gets a warning, not a failed deploy. */
  void protect(String stackName) {
    try {
      cfn.updateTerminationProtection(r -> r.stackName(stackName).enableTerminationProtection(true));
      out.printf("Termination protection enabled on stack %s.%n", stackName);
    } catch (SdkException e) {
      out.printf("WARNING: termination protection not enabled on stack %s (the endpoint refused: %s)%n", stackName,
          e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static boolean doesNotExist(CloudFormationException e) {
    String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    return message != null && message.contains("does not exist");
  }
}
