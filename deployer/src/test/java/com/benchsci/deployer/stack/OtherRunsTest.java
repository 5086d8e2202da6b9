package com.benchsci.deployer.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.RunId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetSummary;

/**
 * The lease's decisions about other runs, on ListChangeSets summaries as CloudFormation returns them (the SDK's own
 * model objects): which run holds a stack, which of two racing runs goes on, which change sets are abandoned.
 */
class OtherRunsTest {

  private static final Instant NOW = Instant.parse("2026-03-04T12:00:00Z");
  private static final RunId MINE = new RunId("hello-host-aaaa-20260304-120000-00000001", "");
  private final OtherRuns others = new OtherRuns(MINE, Duration.ofMinutes(30));

  private static ChangeSetSummary changeSet(String name, Instant created, String status, String execution,
      String description) {
    return ChangeSetSummary.builder().changeSetName(name).stackName("hello-host").creationTime(created)
        .status(status).executionStatus(execution).description(description).build();
  }

  private static ChangeSetSummary deploy(String name, Instant created) {
    return changeSet(name, created, "CREATE_COMPLETE", "AVAILABLE", "hello-host deploy");
  }

  @Test
  void aDeploysChangeSetThatMayStillExecuteIsPendingAReviewsIsNot() {
    assertThat(OtherRuns.isPending(deploy("other", NOW))).isTrue();
    assertThat(OtherRuns.isPending(changeSet("other", NOW, "CREATE_IN_PROGRESS", "UNAVAILABLE", null)))
        .as("of unknown origin, being created").isTrue();
    assertThat(OtherRuns.isPending(changeSet("other", NOW, "CREATE_COMPLETE", "AVAILABLE",
        "hello-host review in https://circleci.com/gh/example/1"))).as("a review's").isFalse();
    assertThat(OtherRuns.isPending(changeSet("other", NOW, "CREATE_COMPLETE", "EXECUTE_COMPLETE", null)))
        .as("executed").isFalse();
    assertThat(OtherRuns.isPending(changeSet("other", NOW, "FAILED", "UNAVAILABLE", null))).as("failed").isFalse();
  }

  @Test
  void anotherRunsPendingChangeSetHoldsTheStackThisRunsDoesNot() {
    List<ChangeSetSummary> changeSets = List.of(deploy(MINE.changeSetName(1), NOW.minusSeconds(5)),
        deploy(MINE.changeSetName(2), NOW.minusSeconds(4)), deploy("hello-host-bbbb-other", NOW.minusSeconds(60)));
    assertThat(others.inFlight(changeSets, NOW)).extracting(ChangeSetSummary::changeSetName)
        .containsExactly("hello-host-bbbb-other");
    DeployException held = OtherRuns.held("hello-host", others.inFlight(changeSets, NOW).get(0), NOW);
    assertThat(held).hasMessage("stack hello-host is held by another deploy: change set hello-host-bbbb-other"
        + " (CREATE_COMPLETE/AVAILABLE, created 2026-03-04T11:59:00Z, 60 s ago, hello-host deploy); nothing was"
        + " changed: deploy again when that run has finished");
  }

  @Test
  void aChangeSetOlderThanTheWaitLimitIsAbandonedNotALock() {
    List<ChangeSetSummary> changeSets = List.of(deploy("stale", NOW.minus(Duration.ofMinutes(31))),
        deploy("fresh", NOW.minus(Duration.ofMinutes(29))));
    assertThat(others.inFlight(changeSets, NOW)).extracting(ChangeSetSummary::changeSetName).containsExactly("fresh");
    assertThat(others.abandoned(changeSets, NOW)).extracting(ChangeSetSummary::changeSetName)
        .containsExactly("stale");
    assertThat(others.staleLimit()).isEqualTo("30 min");
    assertThat(new OtherRuns(MINE, Duration.ofSeconds(1)).staleLimit()).isEqualTo("1 s");
  }

  @Test
  void ofTwoRacingRunsTheEarlierGoesOnAndTheLaterGivesWay() {
    String mine = MINE.changeSetName(1);
    List<ChangeSetSummary> earlierOther = List.of(deploy("hello-host-zzzz-other", NOW.minusSeconds(2)),
        deploy(mine, NOW.minusSeconds(1)));
    List<ChangeSetSummary> laterOther = List.of(deploy(mine, NOW.minusSeconds(2)),
        deploy("hello-host-0000-other", NOW.minusSeconds(1)));
    assertThat(others.ahead(earlierOther, mine, NOW)).map(ChangeSetSummary::changeSetName)
        .contains("hello-host-zzzz-other");
    assertThat(others.ahead(laterOther, mine, NOW)).isEmpty();
  }

  @Test
  void atTheSameCreationTimeTheSmallerNameGoesOnSoExactlyOneRunDoes() {
    // An emulator keeps whole seconds: both runs see the same creation time.
    String mine = MINE.changeSetName(1);
    ChangeSetSummary smaller = deploy("hello-host-0000-other", NOW);
    ChangeSetSummary larger = deploy("hello-host-zzzz-other", NOW);
    assertThat(others.ahead(List.of(deploy(mine, NOW), smaller), mine, NOW)).contains(smaller);
    assertThat(others.ahead(List.of(deploy(mine, NOW), larger), mine, NOW)).isEmpty();
    OtherRuns theirs = new OtherRuns(new RunId("hello-host-zzzz-other", ""), Duration.ofMinutes(30));
    assertThat(theirs.ahead(List.of(deploy(mine, NOW), larger), "hello-host-zzzz-other", NOW)).isPresent();
  }

  @Test
  void aChangeSetNotListedYetCountsAsCreatedNow() {
    assertThat(others.ahead(List.of(deploy("other", NOW.minusSeconds(1))), MINE.changeSetName(1), NOW)).isPresent();
    assertThat(others.ahead(List.of(deploy("other", NOW.plusSeconds(1))), MINE.changeSetName(1), NOW)).isEmpty();
  }

  @Test
  void theDescriptionSaysDeployOrReviewAndTheBuild() {
    assertThat(OtherRuns.description(MINE, true)).isEqualTo("hello-host deploy");
    assertThat(OtherRuns.description(new RunId("x", "https://circleci.com/gh/example/7"), false))
        .isEqualTo("hello-host review in https://circleci.com/gh/example/7");
  }
}
