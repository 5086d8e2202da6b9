package com.benchsci.deployer.rehearsal;

import com.benchsci.deployer.core.AwsClients;
import com.benchsci.deployer.core.Backoff;
import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.DeploySettings;
import com.benchsci.deployer.core.Environment;
import com.benchsci.deployer.core.ProductStack;
import com.benchsci.deployer.core.RunId;
import com.benchsci.deployer.core.Sources;
import com.benchsci.deployer.deploy.Connection;
import com.benchsci.deployer.deploy.Deployment;
import com.benchsci.deployer.live.FirewallAudit;
import com.benchsci.deployer.stack.EmulatorQuirks;
import com.benchsci.deployer.stack.InterruptCleanup;
import com.benchsci.deployer.stack.Stacks;
import com.benchsci.deployer.template.ParameterFile;
import com.benchsci.deployer.template.Template;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * The rehearsal: the product's whole life on one target, under names of its own (see {@link RehearsalId}), one
 * {@link Step} after the other ({@link RehearsalSteps}), each ending as one row: passed, failed with the reason, or
 * not possible on this endpoint (an emulator that cannot do it at all, asked through its quirks: nothing is faked),
 * then everything it made deleted ({@link RehearsalCleanup}). This class is the run around the steps: the target's
 * checks, the rows, the clean-up, the interruption.
 *
 * <p>SIGINT/SIGTERM: a shutdown hook stops the steps where they are (each waits at its next check), lets the deploy
 * in flight clean up its change sets (its own hook), deletes everything, and reports the rows so far; a second
 * invocation ({@code --cleanup <id>}) finishes a clean-up cut short. The outcome goes to {@code report} exactly once.
 */
public final class Rehearsal {

  private final RehearsalSettings settings;
  private final RehearsalId id;
  private final Supplier<Connection> connect;
  private final FirewallAudit.Policy policy;
  /** A deploy of both stacks through the deployer's own orchestration, for the settings of one run. */
  private final Function<DeploySettings, Deployment> deployments;
  private final PrintWriter out;
  private final Consumer<RehearsalOutcome> report;

  // Guarded by this: the rows so far, the deploy runs started, and whether a signal is ending the rehearsal.
  private final List<StepResult> rows = new ArrayList<>();
  private final List<RunId> deploys = new ArrayList<>();
  private Step current;
  private boolean stopping;
  private boolean reported;
  private String target = "";

  // Guarded by cleanupLock: the clean-up runs once, whoever (the run's end or the hook) gets there first.
  private final Object cleanupLock = new Object();
  private StepResult cleanup;

  public Rehearsal(RehearsalSettings settings, Supplier<Connection> connect, FirewallAudit.Policy policy,
      Function<DeploySettings, Deployment> deployments, PrintWriter out, Consumer<RehearsalOutcome> report) {
    this.settings = settings;
    this.id = settings.id();
    this.connect = connect;
    this.policy = policy;
    this.deployments = deployments;
    this.out = out;
    this.report = report;
  }

  /** Runs every step, then the clean-up; returns (and reports) the rows. */
  public RehearsalOutcome run() {
    Connection connection = connect.get();
    AwsClients aws = connection.clients();
    EmulatorQuirks quirks = connection.quirks();
    synchronized (this) {
      target = aws.target().describe();
    }
    try {
      refuseUnsafeTarget(aws);
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
    out.printf("Rehearsal %s on %s: stacks %s and %s, Guard Hook %s. If it is cut short, finish the clean-up with:"
        + " deployer rehearse --cleanup %s%s%n", id, target, id.bootstrapStack(), id.appStack(), id.hookAlias(), id,
        aws.target().isEmulator() ? "" : " --env sandbox");
    out.flush();
    // Room for deleting two stacks that are still being created (each waits up to the wait limit).
    InterruptCleanup hook = new InterruptCleanup(() -> interrupted(aws, quirks), this::gaveUp,
        settings.waitLimit().multipliedBy(3));
    hook.register();
    StepResult cleaned;
    try {
      new RehearsalSteps(this, settings, aws, quirks, connect, policy, deployments, out).all();
    } finally {
      cleaned = cleanUp(aws, quirks);
    }
    RehearsalOutcome outcome = finish(cleaned);
    hook.unregister();
    connection.close();
    return outcome;
  }

  /** Only the clean-up of {@code id}: for a rehearsal that was killed before it could clean up itself. */
  public static RehearsalOutcome cleanUpOnly(RehearsalId id, Connection connection, Duration waitLimit,
      PrintWriter out) {
    try (connection) {
      StepResult cleaned = new RehearsalCleanup(connection.clients(), connection.quirks(), out, waitLimit).run(id);
      return new RehearsalOutcome(id, connection.clients().target().describe(), List.of(cleaned), false);
    }
  }

  /**
   * Never prod: the environment is refused by the settings; on AWS the account must not carry prod's markers
   * ({@link ProdMarkers}); and the rehearsal's stacks must not exist yet (it deletes them at the end).
   */
  private void refuseUnsafeTarget(AwsClients aws) {
    if (!aws.target().isEmulator()) {
      Sources sources = settings.sources();
      Template bootstrap = Template.load(sources.template(ProductStack.BOOTSTRAP));
      String prodOrgId = ParameterFile.read(sources.parameterFile(ProductStack.BOOTSTRAP, Environment.prod),
          bootstrap).get("CircleCiOrgId");
      ProdMarkers.refuse(aws, prodOrgId, out);
    }
    Stacks stacks = new Stacks(aws.cloudFormation(), out);
    for (String name : List.of(id.bootstrapStack(), id.appStack())) {
      if (stacks.find(name) != null) {
        throw new DeployException("stack " + name + " exists already: rehearsal " + id + " ran before (finish its"
            + " clean-up with deployer rehearse --cleanup " + id + ")");
      }
    }
  }

  /** Runs one step: its row, or a failure with the reason; once a signal came, the step's thread waits here. */
  StepResult step(Step step, Supplier<StepResult> body) {
    synchronized (this) {
      requireRunning();
      current = step;
    }
    out.printf("%n== Rehearsal step %d: %s%n", step.number(), step.title());
    out.flush();
    StepResult result;
    try {
      result = body.get();
    } catch (RuntimeException e) {
      result = StepResult.failed(step, reason(e));
    }
    record(result);
    return result;
  }

  synchronized void record(StepResult result) {
    requireRunning();
    rows.add(result);
    current = null;
    out.printf("Step %d %s: %s%n", result.step().number(), result.status().label(), result.detail());
    out.flush();
  }

  /** A deploy of this rehearsal started: an interruption waits for its change sets to go first. */
  synchronized void deployStarted(RunId run) {
    deploys.add(run);
  }

  /** The one line of a failure: the deployer's own, AWS's error, or the exception. */
  private static String reason(RuntimeException e) {
    if (e instanceof DeployException) {
      return e.getMessage();
    }
    if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
      return aws.awsErrorDetails().serviceName() + " " + aws.awsErrorDetails().errorCode() + ": "
          + aws.awsErrorDetails().errorMessage();
    }
    if (e instanceof SdkException) {
      return e.getMessage();
    }
    return e.toString();
  }

  /**
   * Once a signal arrived, the hook cleans up and reports: this thread must start nothing more and print nothing,
   * so it waits here until the JVM exits.
   */
  synchronized void requireRunning() {
    while (stopping) {
      try {
        wait();
      } catch (InterruptedException e) {
        // Still stopping: only the JVM's exit ends this wait.
      }
    }
  }

  /** A pause in a step that a signal cuts short. */
  void pauseRunning(Duration pause) {
    Instant until = Instant.now().plus(pause);
    while (Instant.now().isBefore(until)) {
      requireRunning();
      try {
        Thread.sleep(Math.min(1_000, Duration.between(Instant.now(), until).toMillis() + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private StepResult cleanUp(AwsClients aws, EmulatorQuirks quirks) {
    synchronized (cleanupLock) {
      if (cleanup == null) {
        synchronized (this) {
          current = Step.CLEANUP;
        }
        out.printf("%n== Rehearsal step %d: %s%n", Step.CLEANUP.number(), Step.CLEANUP.title());
        try {
          cleanup = new RehearsalCleanup(aws, quirks, out, settings.waitLimit()).run(id);
        } catch (RuntimeException e) {
          cleanup = StepResult.failed(Step.CLEANUP, reason(e) + "; finish with: deployer rehearse --cleanup " + id);
        }
      }
      return cleanup;
    }
  }

  /** The run's own end: report, unless a signal came, whose hook reports instead. */
  private RehearsalOutcome finish(StepResult cleaned) {
    RehearsalOutcome outcome;
    synchronized (this) {
      requireRunning();
      List<StepResult> all = new ArrayList<>(rows);
      all.add(cleaned);
      outcome = new RehearsalOutcome(id, target, all, false);
      reported = true;
    }
    report.accept(outcome);
    return outcome;
  }

  /** The shutdown hook's work: stop the steps, let the deploy in flight clean up, delete everything, report. */
  private void interrupted(AwsClients aws, EmulatorQuirks quirks) {
    List<RunId> started;
    Step running;
    synchronized (this) {
      if (reported) {
        return;
      }
      stopping = true;
      started = List.copyOf(deploys);
      running = current;
    }
    out.printf("%nInterrupted: deleting everything rehearsal %s made (if this is cut short too: deployer rehearse"
        + " --cleanup %s%s).%n", id, id, aws.target().isEmulator() ? "" : " --env sandbox");
    out.flush();
    awaitDeployCleanup(aws, started);
    StepResult cleaned = cleanUp(aws, quirks);
    List<StepResult> all;
    synchronized (this) {
      all = new ArrayList<>(rows);
      for (Step step : Step.values()) {
        if (step != Step.CLEANUP && all.stream().noneMatch(r -> r.step() == step)) {
          all.add(StepResult.notRun(step, step == running ? "interrupted while it ran" : "interrupted before"));
        }
      }
      all.add(cleaned);
      reported = true;
    }
    report.accept(new RehearsalOutcome(id, target, all, true));
  }

  /**
   * A deploy interrupted in flight deletes its own change sets and placeholder stack from its own hook (RunLease);
   * the stacks are deleted once that is done, so the two never act on the same stack at once. Bounded by that hook's
   * own limit.
   */
  private void awaitDeployCleanup(AwsClients aws, List<RunId> started) {
    Instant deadline = Instant.now().plus(InterruptCleanup.LIMIT).plusSeconds(5);
    Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));
    while (Instant.now().isBefore(deadline)) {
      boolean pending;
      try {
        pending = aws.cloudFormation().listStacksPaginator().stackSummaries().stream()
            .filter(s -> s.stackName().equals(id.appStack()) || s.stackName().equals(id.bootstrapStack()))
            .filter(s -> !"DELETE_COMPLETE".equals(s.stackStatusAsString()))
            .flatMap(s -> aws.cloudFormation().listChangeSetsPaginator(r -> r.stackName(s.stackId())).summaries()
                .stream())
            .anyMatch(c -> !"EXECUTE_IN_PROGRESS".equals(c.executionStatusAsString())
                && started.stream().anyMatch(run -> run.owns(c.changeSetName())));
      } catch (SdkException e) {
        return;
      }
      if (!pending) {
        return;
      }
      backoff.pause();
    }
  }

  private void gaveUp(Duration limit) {
    out.printf("Interrupted: the clean-up of rehearsal %s did not finish within %d min; finish it with: deployer"
        + " rehearse --cleanup %s%n", id, limit.toMinutes(), id);
    out.flush();
  }
}
