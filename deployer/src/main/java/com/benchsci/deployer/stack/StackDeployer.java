package com.benchsci.deployer.stack;

import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.Mode;
import com.benchsci.deployer.core.ReviewedDigests;
import com.benchsci.deployer.template.Template;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.DeploymentMode;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;

/**
 * Deploys one template to one stack through a change set: classify the stack, create the change set, show it,
 * execute exactly that change set (or only review it), follow the events to the end. What the run created, and
 * whether another run holds the stack, is the {@link RunLease}'s business: it alone cleans up.
 */
public final class StackDeployer {

  /**
   * {@code reviewed}: a change set executes only when its digest is the one reviewed for its stack (else
   * {@link StackResult.Kind#UNREVIEWED}, nothing executed); {@code terminationProtection}: on every stack touched;
   * {@code revertDrift}: an update's change set is drift-aware ({@code DeploymentMode REVERT_DRIFT}), so it puts
   * what was changed by hand back to the template (a new stack has nothing to revert).
   */
  public record Options(Mode mode, Duration waitLimit, boolean terminationProtection, ReviewedDigests reviewed,
      boolean revertDrift) {

    Options reviewOnly() {
      return new Options(Mode.REVIEW, waitLimit, terminationProtection, reviewed, revertDrift);
    }
  }

  private final CloudFormationClient cfn;
  private final Stacks stacks;
  private final PrintWriter out;
  private final Options options;
  private final RunLease lease;
  private final EmulatorQuirks quirks;
  private final TableFormat format;

  public StackDeployer(CloudFormationClient cfn, PrintWriter out, Options options, RunLease lease,
      EmulatorQuirks quirks, TableFormat format) {
    this.cfn = cfn;
    this.stacks = new Stacks(cfn, out);
    this.out = out;
    this.options = options;
    this.lease = lease;
    this.quirks = quirks;
    this.format = format;
  }

  /** The same deployer that only reviews from now on (the run already stopped before an unreviewed change). */
  public StackDeployer reviewOnly() {
    return new StackDeployer(cfn, out, options.reviewOnly(), lease, quirks, format);
  }

  /**
   * {@code templateUrl}: where the template was uploaded when it is too big to send inline, else null;
   * {@code assessorFor}: reads the stack as it is (null: nothing deployed to update), once no other run holds it
   * and before its change set is made, and returns what judges the change for the review.
   */
  public StackResult deploy(String stackName, Template template, String templateUrl, Map<String, String> parameters,
      Function<Stack, Assessor> assessorFor) {
    Stack stack = stacks.find(stackName);
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
        if (options.mode().executes() && options.terminationProtection()
            && !Boolean.TRUE.equals(stack.enableTerminationProtection())) {
          out.printf("Stack %s has no termination protection: enabling it.%n", stackName);
          stacks.protect(stackName);
        }
      }
      case RECREATE -> {
        Optional<StackResult> notRecreated = recreate(stackName, template, parameters, assessorFor.apply(null));
        if (notRecreated.isPresent()) {
          return notRecreated.get();
        }
        stack = null;
        state = StackState.CREATE;
      }
      default -> { }
    }
    Assessor assessor = assessorFor.apply(state == StackState.UPDATE ? stack : null);
    if (state == StackState.CREATE && !options.mode().executes()) {
      return additionsOnly(stackName, template, parameters, "Stack " + stackName + " does not exist: the review lists"
          + " the template's resources as additions (no change set created).", assessor);
    }
    if (state == StackState.UPDATE) {
      Optional<String> unchanged = quirks.knownUnchanged(cfn, stack, template, parameters);
      if (unchanged.isPresent()) {
        out.printf("No changes to stack %s. (%s.)%n", stackName, unchanged.get());
        return noChanges(template, parameters, assessor, false);
      }
    }
    ChangeSetType type = state == StackState.UPDATE ? ChangeSetType.UPDATE : ChangeSetType.CREATE;
    return throughChangeSet(stackName, template, templateUrl, parameters, type, stack != null, assessor);
  }

  /** Nothing to change: the review still says which hand-made changes stay. */
  private StackResult noChanges(Template template, Map<String, String> parameters, Assessor assessor,
      boolean newStack) {
    Assessment assessment = assessor.assess(newStack, template, parameters, List.of(), false);
    if (!assessment.handMade().isEmpty() || !assessment.notes().isEmpty()) {
      out.print(format.console(ChangeTable.EMPTY, assessment));
    }
    return StackResult.noChanges(assessment);
  }

  /**
   * A ROLLBACK_COMPLETE stack (a failed first create) cannot be updated: it is deleted and created again, once the
   * re-creation was reviewed. Returns the result when it is not (a review, or not the reviewed one), else empty
   * once the stack is deleted.
   */
  private Optional<StackResult> recreate(String stackName, Template template, Map<String, String> parameters,
      Assessor assessor) {
    String note = "Stack " + stackName + " is ROLLBACK_COMPLETE (its first create failed): the deploy will"
        + " delete it and create it again.";
    StackResult additions = additionsOnly(stackName, template, parameters, note, assessor);
    if (!options.mode().executes()) {
      return Optional.of(additions);
    }
    if (!options.reviewed().approve(stackName, additions.digest())) {
      out.printf("NOT EXECUTED: the re-creation of stack %s was not reviewed (digest %s); nothing deleted.%n",
          stackName, additions.digest());
      return Optional.of(new StackResult(StackResult.Kind.UNREVIEWED, additions.changes(), note, additions.digest(),
          additions.assessment()));
    }
    out.printf("Stack %s is ROLLBACK_COMPLETE (its first create failed): deleting it, then creating it again.%n",
        stackName);
    stacks.delete(stackName, options.waitLimit());
    return Optional.empty();
  }

  /**
   * The review of a stack that does not exist: the template's resources as additions, without a CREATE change set
   * (which would create a placeholder stack that the review role then could not, and should not, delete).
   */
  private StackResult additionsOnly(String stackName, Template template, Map<String, String> parameters,
      String note, Assessor assessor) {
    List<Change> additions = ChangeTable.additionChanges(template);
    ChangeTable table = ChangeTable.of(additions);
    Assessment assessment = assessor.assess(true, template, parameters, additions, false);
    String digest = ChangeSetDigest.of(stackName, template.body(), parameters, table, assessment);
    out.println(note);
    show(stackName, table, assessment, digest);
    return new StackResult(StackResult.Kind.REVIEWED, table, note, digest, assessment);
  }

  private void show(String stackName, ChangeTable table, Assessment assessment, String digest) {
    out.printf("Changes to stack %s (%d, digest %s):%n%s", stackName, table.rows().size(), digest,
        format.console(table, assessment));
  }

  private StackResult throughChangeSet(String stackName, Template template, String templateUrl,
      Map<String, String> parameters, ChangeSetType type, boolean stackExisted, Assessor assessor) {
    String name = lease.nextChangeSetName(stackName);
    boolean driftAware = options.revertDrift() && type == ChangeSetType.UPDATE;
    out.printf("Creating %s%s change set %s for stack %s from %s%s%n", type, driftAware ? " drift-aware" : "", name,
        stackName, template.file(), templateUrl == null ? "" : " (by TemplateURL " + templateUrl + ")");
    try {
      Optional<DescribeChangeSetResponse> created =
          create(stackName, name, template, templateUrl, parameters, type, stackExisted, driftAware);
      if (created.isEmpty()) {
        lease.release(stackName);
        out.printf("No changes to stack %s.%n", stackName);
        return noChanges(template, parameters, assessor, type == ChangeSetType.CREATE);
      }
      return showAndExecute(stackName, template, parameters, created.get(), type, driftAware, assessor);
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

  /**
   * Creates the change set through the lease and waits until CloudFormation made it; empty when it found nothing to
   * change ({@link NoChanges}, whichever way it said so).
   */
  private Optional<DescribeChangeSetResponse> create(String stackName, String name, Template template,
      String templateUrl, Map<String, String> parameters, ChangeSetType type, boolean stackExisted,
      boolean driftAware) {
    try {
      lease.create(stackName, name, stackExisted, () -> cfn.createChangeSet(r -> r.stackName(stackName)
          .changeSetName(name).clientToken(name).changeSetType(type)
          .templateBody(templateUrl == null ? template.body() : null).templateURL(templateUrl)
          .parameters(parameters.entrySet().stream()
              .map(e -> Parameter.builder().parameterKey(e.getKey()).parameterValue(e.getValue()).build())
              .toList())
          .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM)
          .deploymentMode(driftAware ? DeploymentMode.REVERT_DRIFT : null)
          .description(lease.description())));
    } catch (CloudFormationException e) {
      if (NoChanges.means(e.awsErrorDetails().errorMessage())) {
        return Optional.empty();
      }
      throw new DeployException("cannot create a change set for stack " + stackName + ": "
          + e.awsErrorDetails().errorMessage(), e);
    }
    lease.claim(stackName);
    DescribeChangeSetResponse created = awaitChangeSet(stackName, name);
    if ("FAILED".equals(created.statusAsString())) {
      if (NoChanges.means(created.statusReason())) {
        return Optional.empty();
      }
      throw new DeployException("change set " + name + " for stack " + stackName + " failed: "
          + created.statusReason());
    }
    return Optional.of(created);
  }

  private StackResult showAndExecute(String stackName, Template template, Map<String, String> parameters,
      DescribeChangeSetResponse created, ChangeSetType type, boolean driftAware, Assessor assessor) {
    String name = created.changeSetName();
    List<Change> changes = cfn.describeChangeSetPaginator(
            r -> r.stackName(stackName).changeSetName(name).includePropertyValues(true))
        .stream().flatMap(page -> page.changes().stream()).toList();
    ChangeTable table = ChangeTable.of(changes);
    Assessment assessment = assessor.assess(type == ChangeSetType.CREATE, template, parameters, changes, driftAware);
    String digest = ChangeSetDigest.of(stackName, template.body(), parameters, table, assessment);
    show(stackName, table, assessment, digest);
    if (!options.mode().executes()) {
      lease.release(stackName);
      out.printf("Review only: change set %s deleted, nothing executed.%n", name);
      return new StackResult(StackResult.Kind.REVIEWED, table, "", digest, assessment);
    }
    if (!options.reviewed().approve(stackName, digest)) {
      lease.release(stackName);
      out.printf("NOT EXECUTED: change set %s is not the reviewed one for stack %s (digest %s, reviewed: %s);"
          + " deleted.%n", name, stackName, digest, options.reviewed().reviewed(stackName).orElse("none"));
      return new StackResult(StackResult.Kind.UNREVIEWED, table, "", digest, assessment);
    }
    execute(stackName, name, type);
    return new StackResult(StackResult.Kind.CHANGED, table, "", digest, assessment);
  }

  private void execute(String stackName, String name, ChangeSetType type) {
    // Execute only what was just shown: a change set that went stale meanwhile is refused, not executed.
    DescribeChangeSetResponse described = cfn.describeChangeSet(r -> r.stackName(stackName).changeSetName(name));
    String execution = quirks.executionStatus(cfn, stackName, described.stackId(),
        described.executionStatusAsString());
    if (!"AVAILABLE".equals(execution)) {
      throw new DeployException("change set " + name + " of stack " + stackName + " is " + execution
          + ", not AVAILABLE (stale or already used): nothing executed; run the deploy again");
    }
    EventStream events = new EventStream(cfn, stacks, stackName, out);
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
    String finalStatus = events.followUntilSettled(options.waitLimit());
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
      stacks.protect(stackName);
    }
  }

  private DescribeChangeSetResponse awaitChangeSet(String stackName, String name) {
    try {
      cfn.waiter().waitUntilChangeSetCreateComplete(r -> r.stackName(stackName).changeSetName(name),
          w -> w.backoffStrategyV2(BackoffStrategy.exponentialDelay(Duration.ofMillis(500), Duration.ofSeconds(10)))
              .waitTimeout(options.waitLimit()));
    } catch (SdkException e) {
      // The waiter gives up on FAILED too; the status reason tells "no changes" from a real failure.
    }
    DescribeChangeSetResponse response = cfn.describeChangeSet(r -> r.stackName(stackName).changeSetName(name));
    if (!"CREATE_COMPLETE".equals(response.statusAsString()) && !"FAILED".equals(response.statusAsString())) {
      throw new DeployException("change set " + name + " of stack " + stackName + " is still "
          + response.statusAsString() + " after " + options.waitLimit().toMinutes() + " min");
    }
    return response;
  }
}
