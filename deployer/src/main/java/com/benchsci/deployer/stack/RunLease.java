package com.benchsci.deployer.stack;

import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.RunId;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetSummary;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * One run's hold on the stacks it deploys, and the only place that deletes anything on clean-up. It refuses to start
 * on a stack another deploy is working on (saying which run holds it, see {@link OtherRuns}), records exactly what
 * this run created ({@link Ownership}) and deletes only that: when a stack is done with, when the run fails, and on
 * SIGINT/SIGTERM ({@link InterruptCleanup}). An execution already started cannot be stopped; the clean-up leaves it
 * running and says how to follow it.
 *
 * <p>Every method that reads or changes what this run owns holds this object's lock, which the shutdown hook's
 * clean-up takes too, so the hook and the run's own thread never act on the same change set at once.
 */
public final class RunLease implements AutoCloseable {

  private final CloudFormationClient cfn;
  private final Stacks stacks;
  private final EmulatorQuirks quirks;
  private final PrintWriter out;
  private final RunId run;
  private final boolean executes;
  private final OtherRuns others;
  private final String region;
  private final InterruptCleanup hook;
  // Guarded by this.
  private final Ownership owned = new Ownership();
  private boolean stopping;
  private boolean closed;

  /**
   * {@code executes}: a deploy, not a review; {@code staleAfter}: the wait limit, see {@link OtherRuns};
   * {@code quirks}: how the endpoint reports a change set that another run's execution made obsolete.
   */
  public RunLease(CloudFormationClient cfn, PrintWriter out, RunId run, boolean executes, Duration staleAfter,
      EmulatorQuirks quirks) {
    this.cfn = cfn;
    this.stacks = new Stacks(cfn, out);
    this.quirks = quirks;
    this.out = out;
    this.run = run;
    this.executes = executes;
    this.others = new OtherRuns(run, staleAfter);
    this.region = cfn.serviceClientConfiguration().region().id();
    this.hook = new InterruptCleanup(this::onInterrupt, this::gaveUp);
    hook.register();
  }

  /** The description of this run's change sets: deploy or review, and the CI build. */
  String description() {
    return OtherRuns.description(run, executes);
  }

  /** The name, and client token, of this run's next change set on {@code stackName} ({@link RunId#changeSetName}). */
  synchronized String nextChangeSetName(String stackName) {
    return run.changeSetName(owned.nextNumber(stackName));
  }

  /** Refuses, in one line, when another deploy holds {@code stack}: an operation running or a change set pending. */
  void refuseIfHeld(String stackName, Stack stack) {
    if (stack == null) {
      return;
    }
    String status = stack.stackStatusAsString();
    if (StackState.of(status) == StackState.BUSY) {
      String executor = stacks.changeSets(stackName).stream()
          .filter(s -> "EXECUTE_IN_PROGRESS".equals(s.executionStatusAsString()))
          .map(s -> "run " + s.changeSetName()).findFirst().orElse("an operation not started by a change set");
      throw new DeployException("stack " + stackName + " is " + status + ", held by " + executor
          + ": wait for it to finish (aws cloudformation describe-stack-events --stack-name " + stackName
          + " --region " + region + ") and deploy again");
    }
    if (!executes) {
      return;
    }
    Instant now = Instant.now();
    var changeSets = changeSetsAsTheyStand(stackName);
    others.inFlight(changeSets, now).stream().findFirst().ifPresent(other -> {
      throw OtherRuns.held(stackName, other, now);
    });
    others.abandoned(changeSets, now).forEach(s -> out.printf("Ignoring change set %s of stack %s: pending since"
        + " %s, older than the %s wait limit (an abandoned run).%n", s.changeSetName(), stackName, s.creationTime(),
        others.staleLimit()));
  }

  /**
   * Creates this run's change set {@code changeSetName} on {@code stackName} through {@code call} and records it;
   * {@code stackExisted} false means the CREATE change set also made the placeholder stack, which this run then
   * owns while it is empty.
   */
  synchronized CreateChangeSetResponse create(String stackName, String changeSetName, boolean stackExisted,
      Supplier<CreateChangeSetResponse> call) {
    requireRunning();
    CreateChangeSetResponse created = call.get();
    owned.created(stackName, changeSetName, stackExisted ? null : created.stackId());
    return created;
  }

  /**
   * Refuses when another run's change set on {@code stackName} goes first ({@link OtherRuns#ahead}). Checked after
   * creating and again just before executing, because a change set can become visible after one created later
   * (its creation time is taken when the request starts).
   */
  synchronized void claim(String stackName) {
    requireRunning();
    if (!executes) {
      return;
    }
    Instant now = Instant.now();
    others.ahead(changeSetsAsTheyStand(stackName), owned.changeSet(stackName), now).ifPresent(other -> {
      throw OtherRuns.held(stackName, other, now);
    });
  }

  /**
   * The change sets of {@code stackName} as the decisions about other runs need them: one that an execution made
   * obsolete says OBSOLETE, so it holds nothing. AWS deletes it with that execution (ExecuteChangeSet); an emulator
   * may keep it listed AVAILABLE ({@link EmulatorQuirks#executionStatus}), and then the run that executed first would
   * refuse its own next change set on the stack because of the run it beat.
   */
  private List<ChangeSetSummary> changeSetsAsTheyStand(String stackName) {
    return stacks.changeSets(stackName).stream()
        .map(s -> s.toBuilder().executionStatus(
            quirks.executionStatus(cfn, stackName, s.stackId(), s.executionStatusAsString())).build())
        .toList();
  }

  /** Runs the ExecuteChangeSet {@code call} unless the run is being stopped; from then on nothing can stop it. */
  synchronized void execute(String stackName, Runnable call) {
    claim(stackName);
    owned.executing(stackName);
    call.run();
    owned.executed(stackName);
  }

  /** This run is done with {@code stackName}: deletes its change set and its still-empty placeholder stack. */
  synchronized void release(String stackName) {
    requireRunning();
    releaseOwned(stackName);
  }

  private void releaseOwned(String stackName) {
    Ownership.Owned created = owned.forget(stackName);
    if (created == null) {
      return;
    }
    boolean listed = stacks.changeSets(stackName).stream()
        .anyMatch(s -> created.changeSetName().equals(s.changeSetName())
            && !"EXECUTE_IN_PROGRESS".equals(s.executionStatusAsString()));
    if (listed) {
      stacks.deleteChangeSet(stackName, created.changeSetName());
      out.printf("Deleted change set %s of stack %s.%n", created.changeSetName(), stackName);
    }
    if (created.placeholderStackId() != null && stacks.isEmptyPlaceholder(created.placeholderStackId())) {
      // By id: a name could by now stand for a stack another run made.
      stacks.deleteNow(created.placeholderStackId());
      out.printf("Deleted the placeholder stack %s (REVIEW_IN_PROGRESS) of the unexecuted CREATE change set.%n",
          stackName);
    }
  }

  /** The shutdown hook's work: delete what is not executing, say what is left and why. */
  private synchronized void onInterrupt() {
    stopping = true;
    if (closed) {
      return;
    }
    out.println("Interrupted: cleaning up what this run (" + run.name() + ") created.");
    out.flush();
    String executing = owned.executing();
    boolean clean = executing == null;
    if (executing != null) {
      out.printf("Left change set %s executing on stack %s: an execution cannot be stopped. Follow it with:"
          + " aws cloudformation describe-stack-events --stack-name %s --region %s%n",
          owned.changeSet(executing), executing, executing, region);
      owned.forget(executing);
    }
    for (String stackName : owned.stacks()) {
      String changeSetName = owned.changeSet(stackName);
      try {
        releaseOwned(stackName);
      } catch (RuntimeException e) {
        clean = false;
        out.printf("Could not delete change set %s of stack %s (%s); delete it with: aws cloudformation"
            + " delete-change-set --stack-name %s --change-set-name %s --region %s%n", changeSetName, stackName,
            e.getMessage().lines().findFirst().orElse(""), stackName, changeSetName, region);
      }
    }
    out.println(clean ? "Interrupted: this run left nothing behind."
        : "Interrupted: this run left only what is listed above.");
    out.flush();
  }

  private void gaveUp(Duration limit) {
    out.printf("Interrupted: clean-up gave up after %d s; check for change set %s with: aws cloudformation"
        + " list-change-sets --stack-name <stack> --region %s%n", limit.toSeconds(), run.name(), region);
    out.flush();
  }

  /**
   * Once a signal arrived the JVM is exiting: the hook does the clean-up and the report, and this run's own thread
   * must neither start anything nor print failures caused by that clean-up, so it waits here for the exit.
   */
  private void requireRunning() {
    while (stopping) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeployException("interrupted");
      }
    }
  }

  /** Releases whatever is left (normally nothing) and removes the hook; the SDK clients are closed after this. */
  @Override
  public synchronized void close() {
    requireRunning();
    for (String stackName : owned.stacks()) {
      releaseOwned(stackName);
    }
    closed = true;
    hook.unregister();
  }
}
