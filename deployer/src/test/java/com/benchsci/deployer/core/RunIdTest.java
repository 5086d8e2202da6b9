package com.benchsci.deployer.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunIdTest {

  private static final Instant NOON = Instant.parse("2026-03-04T12:05:06Z");

  @Test
  void theNameCarriesTheCommitTheUtcTimeAndARandomPart() {
    RunId run = RunId.create("0123456789abcdef0123", "", Mode.DEPLOY, NOON, new Random(1));
    assertThat(run.name()).matches("hello-host-0123456789ab-20260304-120506-[0-9a-f]{8}");
  }

  @Test
  void namesAreValidChangeSetNamesWhateverTheCommitLooksLike() {
    assertThat(RunId.create("", "", Mode.DEPLOY, NOON, new Random(1)).name()).startsWith("hello-host-nocommit-20260304-120506-");
    assertThat(RunId.create("feature/x_y", "", Mode.DEPLOY, NOON, new Random(1)).name()).startsWith("hello-host-featurexy-");
    assertThat(RunId.create("abc", null, Mode.DEPLOY, NOON, new Random(1)).buildUrl()).isEmpty();
    // CloudFormation: [a-zA-Z][-a-zA-Z0-9]*, at most 128 characters.
    assertThat(RunId.create("c9e971a", "", Mode.DEPLOY, NOON, new Random(1)).changeSetName(12))
        .matches("[a-zA-Z][-a-zA-Z0-9]*").hasSizeLessThanOrEqualTo(128);
  }

  @Test
  void aReviewsChangeSetsAreNamedForTheReviewRolesPolicyAndADeploysNever() {
    // bootstrap.yaml's review role may create and delete only change sets named hello-host-review-*.
    assertThat(RunId.create("c9e971a", "", Mode.REVIEW, NOON, new Random(1)).changeSetName(2))
        .matches("hello-host-review-c9e971a-20260304-120506-[0-9a-f]{8}-2");
    assertThat(RunId.create("c9e971a", "", Mode.DEPLOY, NOON, new Random(1)).name()).doesNotStartWith(RunId.REVIEW_PREFIX);
    assertThat(RunId.create("review", "", Mode.DEPLOY, NOON, new Random(1)).name()).doesNotStartWith(RunId.REVIEW_PREFIX);
  }

  @Test
  void runsStartedInTheSameSecondDiffer() {
    assertThat(RunId.create("c9e971a", "", Mode.DEPLOY).name()).isNotEqualTo(RunId.create("c9e971a", "", Mode.DEPLOY).name());
  }

  @Test
  void theSecondChangeSetOnAStackGetsACounterAndBothAreTheRunsOwn() {
    RunId run = new RunId("hello-host-c9e971a-20260304-120506-0a1b2c3d", "");
    assertThat(run.changeSetName(1)).isEqualTo(run.name());
    assertThat(run.changeSetName(2)).isEqualTo(run.name() + "-2");
    assertThat(run.owns(run.changeSetName(1))).isTrue();
    assertThat(run.owns(run.changeSetName(2))).isTrue();
    assertThat(run.owns("hello-host-c9e971a-20260304-120506-0a1b2c3e")).as("another run, same second").isFalse();
    assertThat(run.owns("hello-host-c9e971a-20260304-120506-0a1b2c3")).as("a prefix of this run's name").isFalse();
  }
}
