package com.benchsci.deployer.stack;

import com.benchsci.deployer.DeployException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetSummary;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * One run's hold on the stacks it deploys, and the only place that deletes anything on clean-up. It refuses to start
 * on a stack another deploy is working on (saying which run holds it), remembers exactly what this run created (its
 * change set, and the placeholder stack of a CREATE change set), and deletes only that: when a stack is done with,
 * when the run fails, and from a JVM shutdown hook on SIGINT/SIGTERM. An execution already started cannot be stopped;
 * the hook leaves it running and says how to follow it.
 *
 * <p>The run id is the change-set name: commit, UTC time and a random part, so two runs never share a name or a
 * client token. Only deploys that execute hold a stack: a review's change set (its description says so) is never
 * executed, so it blocks nobody, and a review itself refuses only a stack that is busy. Methods that create, execute
 * or delete are synchronized, so the hook and the run's own thread never act on the same change set at once.
 */
final class RunLease implements AutoCloseable {

  /** The longest the shutdown hook works before the JVM exits anyway (each call is bounded by AwsTarget too). */
  static final Duration HOOK_LIMIT = Duration.ofSeconds(30);

  /** Change sets that may still be executed: another run is reviewing or about to execute them. */
  private static final Set<String> PENDING = Set.of("CREATE_PENDING", "CREATE_IN_PROGRESS");

  private static final String DEPLOY = "hello-host deploy";
  private static final String REVIEW = "hello-host review";

  /** What this run created on one stack and has not removed yet: its change set, and maybe the placeholder stack. */
  private record Owned(String changeSetName, String placeholderStackId) {}

  private final CloudFormationClient cfn;
  private final PrintWriter out;
  private final String runId;
  private final boolean executes;
  private final Duration staleAfter;
  private final String region;
  private final Map<String, Owned> owned = new LinkedHashMap<>();
  private final Map<String, Integer> changeSetsCreated = new HashMap<>();
  private final Thread hook = new Thread(this::onSignal, "deployer-cleanup");
  private String executing;
  private boolean stopping;
  private boolean closed;

  /**
   * {@code executes}: a deploy, not a review; {@code staleAfter}: a change set of another run older than this is
   * abandoned, not in flight.
   */
  RunLease(CloudFormationClient cfn, PrintWriter out, String runId, boolean executes, Duration staleAfter) {
    this.cfn = cfn;
    this.out = out;
    this.runId = runId;
    this.executes = executes;
    this.staleAfter = staleAfter;
    this.region = cfn.serviceClientConfiguration().region().id();
    Runtime.getRuntime().addShutdownHook(hook);
  }

  String runId() {
    return runId;
  }

  /**
   * The name, and client token, of this run's next change set on {@code stackName}: the run id, and for a second
   * change set on the same stack (the bootstrap's first create, then its update with the rules) the run id with a
   * counter, since AWS takes a CreateChangeSet with a token it has seen for a retry of the first.
   */
  synchronized String nextChangeSetName(String stackName) {
    int n = changeSetsCreated.merge(stackName, 1, Integer::sum);
    return n == 1 ? runId : runId + "-" + n;
  }

  private boolean isMine(String changeSetName) {
    return changeSetName.equals(runId) || changeSetName.startsWith(runId + "-");
  }

  /** The change set's description: whether it is a deploy or a review, and the CI build that made it. */
  String description() {
    String build = System.getenv("CIRCLE_BUILD_URL");
    return (executes ? DEPLOY : REVIEW) + (build == null || build.isBlank() ? "" : " in " + build);
  }

  /** Refuses, in one line, when another deploy holds {@code stack}: an operation running or a change set pending. */
  void refuseIfHeld(String stackName, Stack stack) {
    if (stack == null) {
      return;
    }
    String status = stack.stackStatusAsString();
    if (StackState.of(status) == StackState.BUSY) {
      String executor = changeSets(stackName).stream()
          .filter(s -> "EXECUTE_IN_PROGRESS".equals(s.executionStatusAsString()))
          .map(s -> "run " + s.changeSetName()).findFirst().orElse("an operation not started by a change set");
      throw new DeployException("stack " + stackName + " is " + status + ", held by " + executor
          + ": wait for it to finish (aws cloudformation describe-stack-events --stack-name " + stackName
          + " --region " + region + ") and deploy again");
    }
    if (!executes) {
      return;
    }
    inFlightOfOthers(stackName, Instant.now()).stream().findFirst().ifPresent(other -> {
      throw held(stackName, other);
    });
    changeSets(stackName).stream().filter(s -> !isMine(s.changeSetName()) && isPending(s)
            && s.creationTime().isBefore(Instant.now().minus(staleAfter)))
        .forEach(s -> out.printf("Ignoring change set %s of stack %s: pending since %s, older than the %s wait"
            + " limit (an abandoned run).%n", s.changeSetName(), stackName, s.creationTime(),
            staleAfter.toMinutes() > 0 ? staleAfter.toMinutes() + " min" : staleAfter.toSeconds() + " s"));
  }

  /**
   * Creates this run's change set on {@code stackName} through {@code call} and records it; {@code stackExisted}
   * false means the CREATE change set also made the placeholder stack, which this run then owns while it is empty.
   */
  synchronized CreateChangeSetResponse create(String stackName, String changeSetName, boolean stackExisted,
      Supplier<CreateChangeSetResponse> call) {
    requireRunning();
    CreateChangeSetResponse created = call.get();
    owned.put(stackName, new Owned(changeSetName, stackExisted ? null : created.stackId()));
    return created;
  }

  /**
   * Two runs that both passed {@link #refuseIfHeld} before either created its change set both see two change sets
   * now: the later one (by creation time) gives way. Checked again just before executing, because a change set can
   * become visible after one created later (its creation time is taken when the request starts).
   */
  void claim(String stackName) {
    if (!executes) {
      return;
    }
    String myName = owned.get(stackName).changeSetName();
    Instant mine = changeSets(stackName).stream().filter(s -> myName.equals(s.changeSetName()))
        .map(ChangeSetSummary::creationTime).findFirst().orElse(Instant.now());
    // Creation times can be equal (an emulator keeps whole seconds): then the smaller name goes first, so that
    // exactly one of two runs goes on, never neither.
    inFlightOfOthers(stackName, mine).stream()
        .filter(s -> s.creationTime().isBefore(mine)
            || s.creationTime().equals(mine) && s.changeSetName().compareTo(myName) < 0)
        .findFirst()
        .ifPresent(other -> {
          throw held(stackName, other);
        });
  }

  /** Runs the ExecuteChangeSet {@code call} unless the run is being stopped; from then on nothing can stop it. */
  synchronized void execute(String stackName, Runnable call) {
    requireRunning();
    claim(stackName);
    executing = stackName;
    call.run();
    owned.put(stackName, new Owned(owned.get(stackName).changeSetName(), null));
  }

  /** This run is done with {@code stackName}: deletes its change set and its still-empty placeholder stack. */
  synchronized void release(String stackName) {
    requireRunning();
    releaseOwned(stackName);
  }

  private void releaseOwned(String stackName) {
    Owned created = owned.remove(stackName);
    if (stackName.equals(executing)) {
      executing = null;
    }
    if (created == null) {
      return;
    }
    boolean listed = changeSets(stackName).stream().anyMatch(s -> created.changeSetName().equals(s.changeSetName())
        && !"EXECUTE_IN_PROGRESS".equals(s.executionStatusAsString()));
    if (listed) {
      cfn.deleteChangeSet(r -> r.stackName(stackName).changeSetName(created.changeSetName()));
      out.printf("Deleted change set %s of stack %s.%n", created.changeSetName(), stackName);
    }
    if (created.placeholderStackId() != null && isEmptyPlaceholder(created.placeholderStackId())) {
      // By id: a name could by now stand for a stack another run made.
      cfn.deleteStack(r -> r.stackName(created.placeholderStackId()));
      out.printf("Deleted the placeholder stack %s (REVIEW_IN_PROGRESS) of the unexecuted CREATE change set.%n",
          stackName);
    }
  }

  /** The SIGINT/SIGTERM path: delete what is not executing, say what is left and why, within the hook limit. */
  private void onSignal() {
    Thread cleanup = new Thread(() -> {
      synchronized (this) {
        stopping = true;
        if (closed) {
          return;
        }
        out.println("Interrupted: cleaning up what this run (" + runId + ") created.");
        out.flush();
        if (executing != null) {
          out.printf("Left change set %s executing on stack %s: an execution cannot be stopped. Follow it with:"
              + " aws cloudformation describe-stack-events --stack-name %s --region %s%n",
              owned.get(executing).changeSetName(), executing, executing, region);
          owned.remove(executing);
        }
        boolean clean = executing == null;
        for (String stackName : new ArrayList<>(owned.keySet())) {
          String changeSetName = owned.get(stackName).changeSetName();
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
    }, "deployer-cleanup-work");
    cleanup.setDaemon(true);
    cleanup.start();
    try {
      cleanup.join(HOOK_LIMIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (cleanup.isAlive()) {
      out.printf("Interrupted: clean-up gave up after %d s; check for change set %s with: aws cloudformation"
          + " list-change-sets --stack-name <stack> --region %s%n", HOOK_LIMIT.toSeconds(), runId, region);
      out.flush();
    }
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
    for (String stackName : new ArrayList<>(owned.keySet())) {
      releaseOwned(stackName);
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is already running; it finds nothing left to do.
    }
  }

  private static DeployException held(String stackName, ChangeSetSummary other) {
    long age = Duration.between(other.creationTime(), Instant.now()).toSeconds();
    return new DeployException("stack " + stackName + " is held by another deploy: change set "
        + other.changeSetName() + " (" + other.statusAsString() + "/" + other.executionStatusAsString() + ", created "
        + other.creationTime() + ", " + age + " s ago" + (other.description() == null ? "" : ", " + other.description())
        + "); nothing was changed: deploy again when that run has finished");
  }

  /** Other runs' change sets on {@code stackName} that are pending, created within the wait limit before {@code at}. */
  private List<ChangeSetSummary> inFlightOfOthers(String stackName, Instant at) {
    return changeSets(stackName).stream()
        .filter(s -> !isMine(s.changeSetName()) && isPending(s)
            && !s.creationTime().isBefore(at.minus(staleAfter)))
        .sorted(Comparator.comparing(ChangeSetSummary::creationTime))
        .toList();
  }

  /** A change set that another deploy may still execute (one of unknown origin counts as a deploy). */
  private static boolean isPending(ChangeSetSummary s) {
    boolean review = s.description() != null && s.description().startsWith(REVIEW);
    return !review && (PENDING.contains(s.statusAsString())
        || ("CREATE_COMPLETE".equals(s.statusAsString()) && "AVAILABLE".equals(s.executionStatusAsString())));
  }

  /** The change sets of the live stack named {@code stackName} (filtered here too: moto lists every stack's). */
  private List<ChangeSetSummary> changeSets(String stackName) {
    try {
      return cfn.listChangeSetsPaginator(r -> r.stackName(stackName)).summaries().stream()
          .filter(s -> stackName.equals(s.stackName())).toList();
    } catch (CloudFormationException e) {
      if (String.valueOf(e.getMessage()).contains("does not exist")) {
        return List.of();
      }
      throw e;
    }
  }

  private boolean isEmptyPlaceholder(String stackId) {
    Stack stack = cfn.describeStacks(r -> r.stackName(stackId)).stacks().stream().findFirst().orElse(null);
    if (stack == null || !"REVIEW_IN_PROGRESS".equals(stack.stackStatusAsString())) {
      return false;
    }
    return cfn.listChangeSetsPaginator(r -> r.stackName(stackId)).summaries().stream()
        .noneMatch(s -> stackId.equals(s.stackId()));
  }
}
