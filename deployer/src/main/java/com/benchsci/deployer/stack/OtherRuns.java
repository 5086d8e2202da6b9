package com.benchsci.deployer.stack;

import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.RunId;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetSummary;

/**
 * The lease's decisions about other runs, made on what ListChangeSets returned: which change sets another deploy
 * may still execute, whether one of them holds the stack, which run goes first when two race, and which are
 * abandoned. Only deploys hold a stack: a review's change set (its description says so) is never executed.
 */
final class OtherRuns {

  static final String DEPLOY = "hello-host deploy";
  static final String REVIEW = "hello-host review";

  /** Change sets that may still be executed: another run is reviewing or about to execute them. */
  private static final Set<String> PENDING = Set.of("CREATE_PENDING", "CREATE_IN_PROGRESS");

  private final RunId run;
  private final Duration staleAfter;

  /** {@code staleAfter}: a change set of another run older than this is abandoned, not in flight. */
  OtherRuns(RunId run, Duration staleAfter) {
    this.run = run;
    this.staleAfter = staleAfter;
  }

  /** A change set's description: whether it is a deploy or a review, and the CI build that made it. */
  static String description(RunId run, boolean executes) {
    return (executes ? DEPLOY : REVIEW) + (run.buildUrl().isEmpty() ? "" : " in " + run.buildUrl());
  }

  /** A change set that another deploy may still execute (one of unknown origin counts as a deploy). */
  static boolean isPending(ChangeSetSummary s) {
    boolean review = s.description() != null && s.description().startsWith(REVIEW);
    return !review && (PENDING.contains(s.statusAsString())
        || ("CREATE_COMPLETE".equals(s.statusAsString()) && "AVAILABLE".equals(s.executionStatusAsString())));
  }

  /** Other runs' pending change sets created within the wait limit before {@code at}, oldest first. */
  List<ChangeSetSummary> inFlight(List<ChangeSetSummary> changeSets, Instant at) {
    return changeSets.stream()
        .filter(s -> !run.owns(s.changeSetName()) && isPending(s) && !s.creationTime().isBefore(at.minus(staleAfter)))
        .sorted(Comparator.comparing(ChangeSetSummary::creationTime))
        .toList();
  }

  /** Other runs' pending change sets older than the wait limit: runs that were abandoned, not a lock. */
  List<ChangeSetSummary> abandoned(List<ChangeSetSummary> changeSets, Instant now) {
    return changeSets.stream()
        .filter(s -> !run.owns(s.changeSetName()) && isPending(s) && s.creationTime().isBefore(now.minus(staleAfter)))
        .toList();
  }

  /**
   * The other run that goes before this one, whose change set is {@code mine}: two runs that both found the stack
   * free before either created its change set both see two change sets now, and the later one (by creation time)
   * gives way. Creation times can be equal (an emulator keeps whole seconds): then the smaller name goes first, so
   * that exactly one of two runs goes on, never neither.
   */
  Optional<ChangeSetSummary> ahead(List<ChangeSetSummary> changeSets, String mine, Instant now) {
    Instant myTime = changeSets.stream().filter(s -> mine.equals(s.changeSetName()))
        .map(ChangeSetSummary::creationTime).findFirst().orElse(now);
    return inFlight(changeSets, myTime).stream()
        .filter(s -> s.creationTime().isBefore(myTime)
            || s.creationTime().equals(myTime) && s.changeSetName().compareTo(mine) < 0)
        .findFirst();
  }

  /** The wait limit as the message about an abandoned change set says it. */
  String staleLimit() {
    return staleAfter.toMinutes() > 0 ? staleAfter.toMinutes() + " min" : staleAfter.toSeconds() + " s";
  }

  static DeployException held(String stackName, ChangeSetSummary other, Instant now) {
    long age = Duration.between(other.creationTime(), now).toSeconds();
    return new DeployException("stack " + stackName + " is held by another deploy: change set "
        + other.changeSetName() + " (" + other.statusAsString() + "/" + other.executionStatusAsString() + ", created "
        + other.creationTime() + ", " + age + " s ago" + (other.description() == null ? "" : ", " + other.description())
        + "); nothing was changed: deploy again when that run has finished");
  }
}
