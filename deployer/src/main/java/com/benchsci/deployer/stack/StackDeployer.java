package com.benchsci.deployer.stack;

import com.benchsci.deployer.DeployException;
import com.benchsci.deployer.aws.Backoff;
import com.benchsci.deployer.template.Template;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;

/**
 * Deploys one template to one stack through a change set: classify the stack, create the change set, show it,
 * execute exactly that change set (or only review it), follow the events to the end. What the run created, and
 * whether another run holds the stack, is the {@link RunLease}'s business: it alone cleans up.
 */
final class StackDeployer {

  /** How a deploy of one stack ended when it did not fail. */
  enum Kind { CHANGED, NO_CHANGES, REVIEWED, UNREVIEWED }

  /** {@code digest}: of what was shown ({@link ChangeSetDigest}), empty when nothing was. */
  record Result(Kind kind, ChangeTable changes, String note, String digest) {}

  /**
   * {@code reviewedDigests}: stack name to the digest its review showed; when not null, a change set executes only
   * when its digest is the reviewed one for its stack (else: {@link Kind#UNREVIEWED}, nothing executed).
   * {@code emulator}: compare with the deployed stack before creating a change set (see {@link #deployedAsIs}).
   */
  record Options(boolean execute, Duration waitLimit, boolean terminationProtection,
      Map<String, String> reviewedDigests, boolean emulator) {

    Options reviewOnly() {
      return new Options(false, waitLimit, terminationProtection, reviewedDigests, emulator);
    }
  }

  private static final List<String> NO_CHANGE_REASONS =
      List.of("didn't contain changes", "No updates are to be performed");

  private final CloudFormationClient cfn;
  private final PrintWriter out;
  private final Options options;
  private final RunLease lease;

  StackDeployer(CloudFormationClient cfn, PrintWriter out, Options options, RunLease lease) {
    this.cfn = cfn;
    this.out = out;
    this.options = options;
    this.lease = lease;
  }

  /** {@code templateUrl}: where the template was uploaded when it is too big to send inline, else null. */
  Result deploy(String stackName, Template template, String templateUrl, Map<String, String> parameters) {
    Stack stack = find(stackName);
    lease.refuseIfHeld(stackName, stack);
    StackState state = StackState.of(stack == null ? null : stack.stackStatusAsString());
    switch (state) {
      case ROLLBACK_STUCK -> throw new DeployException("stack " + stackName + " is UPDATE_ROLLBACK_FAILED: fix the"
          + " cause in its events, then run: aws cloudformation continue-update-rollback --stack-name " + stackName
          + " --region " + cfn.serviceClientConfiguration().region().id());
      case BROKEN -> throw new DeployException("stack " + stackName + " is " + stack.stackStatusAsString()
          + " and cannot take a change set; see: aws cloudformation describe-stack-events --stack-name " + stackName);
      case UPDATE -> {
        // Whatever the stack's history (an interrupted first create, an import, a recreate by hand).
        if (options.execute() && options.terminationProtection()
            && !Boolean.TRUE.equals(stack.enableTerminationProtection())) {
          out.printf("Stack %s has no termination protection: enabling it.%n", stackName);
          protect(stackName);
        }
      }
      case RECREATE -> {
        String note = "Stack " + stackName + " is ROLLBACK_COMPLETE (its first create failed): the deploy will"
            + " delete it and create it again.";
        Result additions = additionsOnly(stackName, template, parameters, note);
        if (!options.execute()) {
          return additions;
        }
        if (options.reviewedDigests() != null
            && !additions.digest().equals(options.reviewedDigests().get(stackName))) {
          out.printf("NOT EXECUTED: the re-creation of stack %s was not reviewed (digest %s); nothing deleted.%n",
              stackName, additions.digest());
          return new Result(Kind.UNREVIEWED, additions.changes(), note, additions.digest());
        }
        out.printf("Stack %s is ROLLBACK_COMPLETE (its first create failed): deleting it, then creating it again.%n",
            stackName);
        deleteStack(stackName);
        stack = null;
        state = StackState.CREATE;
      }
      default -> { }
    }
    if (state == StackState.CREATE && !options.execute()) {
      return additionsOnly(stackName, template, parameters, "Stack " + stackName + " does not exist: the review lists"
          + " the template's resources as additions (no change set created).");
    }
    if (state == StackState.UPDATE && options.emulator() && deployedAsIs(stack, template, parameters)) {
      out.printf("No changes to stack %s. (Same template and parameters as deployed, compared by the deployer:"
          + " moto's own check is stale after a parameter change.)%n", stackName);
      return new Result(Kind.NO_CHANGES, new ChangeTable(List.of()), "", "");
    }
    ChangeSetType type = state == StackState.UPDATE ? ChangeSetType.UPDATE : ChangeSetType.CREATE;
    return throughChangeSet(stackName, template, templateUrl, parameters, type, stack != null);
  }

  /**
   * The review of a stack that does not exist: the template's resources as additions, without a CREATE change set
   * (which would create a placeholder stack that the review role then could not, and should not, delete).
   */
  private Result additionsOnly(String stackName, Template template, Map<String, String> parameters, String note) {
    ChangeTable table = ChangeTable.additions(template);
    String digest = ChangeSetDigest.of(stackName, template.body(), parameters, table);
    out.printf("%s%nChanges to stack %s (%d, digest %s):%n%s", note, stackName, table.rows().size(), digest,
        table.console());
    return new Result(Kind.REVIEWED, table, note, digest);
  }

  /**
   * moto answers a change set with the template and parameters already deployed by an empty change set, not "didn't
   * contain changes", once an executed change set has changed a parameter (its no-change test keeps comparing with
   * the parameters the stack was created with). On an emulator the deployer applies AWS's rule itself first.
   */
  private boolean deployedAsIs(Stack stack, Template template, Map<String, String> parameters) {
    if (!template.body().equals(cfn.getTemplate(r -> r.stackName(stack.stackId())).templateBody())) {
      return false;
    }
    Map<String, String> wanted = new LinkedHashMap<>();
    if (template.tree().get("Parameters") instanceof Map<?, ?> declared) {
      declared.forEach((name, declaration) -> {
        if (declaration instanceof Map<?, ?> d && d.get("Default") != null) {
          wanted.put(String.valueOf(name), String.valueOf(d.get("Default")));
        }
      });
    }
    wanted.putAll(parameters);
    Map<String, String> deployed = new LinkedHashMap<>();
    stack.parameters().forEach(p -> deployed.put(p.parameterKey(), p.parameterValue()));
    return deployed.equals(wanted);
  }

  private Result throughChangeSet(String stackName, Template template, String templateUrl,
      Map<String, String> parameters, ChangeSetType type, boolean stackExisted) {
    String name = lease.nextChangeSetName(stackName);
    out.printf("Creating %s change set %s for stack %s from %s%s%n", type, name, stackName, template.file(),
        templateUrl == null ? "" : " (by TemplateURL " + templateUrl + ")");
    try {
      lease.create(stackName, name, stackExisted, () -> cfn.createChangeSet(r -> r.stackName(stackName)
          .changeSetName(name).clientToken(name).changeSetType(type)
          .templateBody(templateUrl == null ? template.body() : null).templateURL(templateUrl)
          .parameters(parameters.entrySet().stream()
              .map(e -> Parameter.builder().parameterKey(e.getKey()).parameterValue(e.getValue()).build())
              .toList())
          .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM)
          .description(lease.description())));
    } catch (CloudFormationException e) {
      if (isNoChange(e.awsErrorDetails().errorMessage())) {
        return noChanges(stackName);
      }
      throw new DeployException("cannot create a change set for stack " + stackName + ": "
          + e.awsErrorDetails().errorMessage(), e);
    }
    try {
      lease.claim(stackName);
      return reviewAndExecute(stackName, template, parameters, name, type);
    } catch (RuntimeException e) {
      try {
        lease.release(stackName);
      } catch (RuntimeException cleanupFailure) {
        e.addSuppressed(cleanupFailure);
        out.printf("WARNING: could not delete change set %s of stack %s: %s%n", name, stackName,
            cleanupFailure.getMessage());
      }
      throw e;
    }
  }

  private Result reviewAndExecute(String stackName, Template template, Map<String, String> parameters, String name,
      ChangeSetType type) {
    DescribeChangeSetResponse created = awaitChangeSet(stackName, name);
    if ("FAILED".equals(created.statusAsString())) {
      if (isNoChange(created.statusReason())) {
        lease.release(stackName);
        return noChanges(stackName);
      }
      throw new DeployException("change set " + name + " for stack " + stackName + " failed: "
          + created.statusReason());
    }
    List<Change> changes = cfn.describeChangeSetPaginator(
            r -> r.stackName(stackName).changeSetName(name).includePropertyValues(true))
        .stream().flatMap(page -> page.changes().stream()).toList();
    ChangeTable table = ChangeTable.of(changes);
    String digest = ChangeSetDigest.of(stackName, template.body(), parameters, table);
    out.printf("Changes to stack %s (%d, digest %s):%n%s", stackName, table.rows().size(), digest, table.console());
    if (!options.execute()) {
      lease.release(stackName);
      out.printf("Review only: change set %s deleted, nothing executed.%n", name);
      return new Result(Kind.REVIEWED, table, "", digest);
    }
    if (options.reviewedDigests() != null && !digest.equals(options.reviewedDigests().get(stackName))) {
      lease.release(stackName);
      out.printf("NOT EXECUTED: change set %s is not the reviewed one for stack %s (digest %s, reviewed: %s);"
          + " deleted.%n", name, stackName, digest, options.reviewedDigests().getOrDefault(stackName, "none"));
      return new Result(Kind.UNREVIEWED, table, "", digest);
    }
    execute(stackName, name, type);
    return new Result(Kind.CHANGED, table, "", digest);
  }

  private void execute(String stackName, String name, ChangeSetType type) {
    // Execute only what was just shown: a change set that went stale meanwhile is refused, not executed.
    String execution = cfn.describeChangeSet(r -> r.stackName(stackName).changeSetName(name)).executionStatusAsString();
    if (!"AVAILABLE".equals(execution)) {
      throw new DeployException("change set " + name + " of stack " + stackName + " is " + execution
          + ", not AVAILABLE (stale or already used): nothing executed; run the deploy again");
    }
    EventStream events = new EventStream(cfn, stackName, out);
    events.skipExisting();
    out.printf("Executing change set %s on stack %s%n", name, stackName);
    try {
      lease.execute(stackName,
          () -> cfn.executeChangeSet(r -> r.stackName(stackName).changeSetName(name).clientRequestToken(name)));
    } catch (CloudFormationException e) {
      events.poll();
      throw new DeployException("executing change set " + name + " on stack " + stackName + " failed: "
          + e.awsErrorDetails().errorMessage(), e);
    }
    String finalStatus = followUntilSettled(stackName, events);
    if (StackState.outcome(finalStatus) == StackState.Outcome.FAILED) {
      List<StackEvent> causes = events.rootCauses();
      out.println("Root cause" + (causes.size() == 1 ? "" : "s") + ":");
      causes.forEach(e -> out.println("  " + EventStream.describe(e)));
      if (causes.isEmpty()) {
        out.println("  (no failed resource event; see aws cloudformation describe-stack-events --stack-name "
            + stackName + ")");
      }
      throw new DeployException("stack " + stackName + " ended " + finalStatus + " after "
          + events.elapsed().toSeconds() + "s" + (causes.isEmpty() ? "" : ": " + EventStream.describe(causes.get(0))));
    }
    out.printf("Stack %s is %s after %ds.%n", stackName, finalStatus, events.elapsed().toSeconds());
    // AWS removes an executed change set itself; an emulator may keep it listed.
    lease.release(stackName);
    if (type == ChangeSetType.CREATE && options.terminationProtection()) {
      protect(stackName);
    }
  }

  /** Follows the events until the stack leaves *_IN_PROGRESS or the wait limit is reached. */
  private String followUntilSettled(String stackName, EventStream events) {
    Instant deadline = Instant.now().plus(options.waitLimit());
    Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15));
    while (true) {
      events.poll();
      String status = status(stackName);
      if (status == null) {
        return "DELETE_COMPLETE";
      }
      if (StackState.outcome(status) != StackState.Outcome.RUNNING) {
        return status;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new DeployException("stopped waiting after " + options.waitLimit().toMinutes() + " min: stack "
            + stackName + " is still " + status + "; follow it with: aws cloudformation describe-stack-events"
            + " --stack-name " + stackName);
      }
      backoff.pause();
    }
  }

  private DescribeChangeSetResponse awaitChangeSet(String stackName, String name) {
    try {
      cfn.waiter().waitUntilChangeSetCreateComplete(r -> r.stackName(stackName).changeSetName(name),
          w -> w.backoffStrategyV2(BackoffStrategy.exponentialDelay(Duration.ofMillis(500), Duration.ofSeconds(10)))
              .waitTimeout(options.waitLimit()));
    } catch (SdkException e) {
      // The waiter gives up on FAILED too; the status reason below tells "no changes" from a real failure.
    }
    DescribeChangeSetResponse response = cfn.describeChangeSet(r -> r.stackName(stackName).changeSetName(name));
    if (!"CREATE_COMPLETE".equals(response.statusAsString()) && !"FAILED".equals(response.statusAsString())) {
      throw new DeployException("change set " + name + " of stack " + stackName + " is still "
          + response.statusAsString() + " after " + options.waitLimit().toMinutes() + " min");
    }
    return response;
  }

  private Result noChanges(String stackName) {
    out.printf("No changes to stack %s.%n", stackName);
    return new Result(Kind.NO_CHANGES, new ChangeTable(List.of()), "", "");
  }

  private static boolean isNoChange(String reason) {
    return reason != null && NO_CHANGE_REASONS.stream().anyMatch(reason::contains);
  }

  private void deleteStack(String stackName) {
    cfn.deleteStack(r -> r.stackName(stackName));
    cfn.waiter().waitUntilStackDeleteComplete(r -> r.stackName(stackName),
        w -> w.backoffStrategyV2(BackoffStrategy.exponentialDelay(Duration.ofSeconds(1), Duration.ofSeconds(15)))
            .waitTimeout(options.waitLimit()));
    out.printf("Deleted stack %s.%n", stackName);
  }

  private void protect(String stackName) {
    try {
      cfn.updateTerminationProtection(r -> r.stackName(stackName).enableTerminationProtection(true));
      out.printf("Termination protection enabled on stack %s.%n", stackName);
    } catch (SdkException e) {
      out.printf("WARNING: termination protection not enabled on stack %s (the endpoint refused: %s)%n", stackName,
          e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** The stack's status, or null when it does not exist. */
  String status(String stackName) {
    Stack stack = find(stackName);
    return stack == null ? null : stack.stackStatusAsString();
  }

  Stack find(String stackName) {
    try {
      return cfn.describeStacks(r -> r.stackName(stackName)).stacks().stream().findFirst().orElse(null);
    } catch (CloudFormationException e) {
      String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
      if (message != null && message.contains("does not exist")) {
        return null;
      }
      throw e;
    }
  }
}
