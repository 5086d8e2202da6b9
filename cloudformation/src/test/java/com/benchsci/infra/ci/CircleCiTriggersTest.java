package com.benchsci.infra.ci;

import static com.benchsci.infra.ci.CircleCiConfigSchemaTest.CIRCLECI;
import static com.benchsci.infra.ci.CircleCiConfigSchemaTest.continuationConfig;
import static com.benchsci.infra.ci.CircleCiConfigSchemaTest.setupConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.infra.ci.CircleCiPipeline.Refused;
import com.benchsci.infra.ci.CircleCiPipeline.Run;
import com.benchsci.infra.ci.CircleCiPipeline.Trigger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each way a pipeline starts runs exactly the jobs it is for, as CircleCI documents its dynamic configuration and
 * schedule triggers ({@link CircleCiPipeline} cites each rule): a push builds what its paths need, the daily schedule
 * only checks prod, the monthly schedule only reviews and deploys a new image, and no continuation passes again a
 * parameter a trigger sets.
 */
class CircleCiTriggersTest {

  /** Schedule triggers on master set this pipeline parameter (.circleci/README.md, one-time setup). */
  private static final String SCHEDULE = "schedule";
  /** What a schedule's last commit on master changed: path filtering would rebuild and redeploy it. */
  private static final String LAST_COMMIT = "cloudformation/stack.yaml";

  /**
   * A schedule trigger as .circleci/README.md sets it up. {@code named}: a GitHub OAuth project, where
   * pipeline.schedule.name is the trigger's name; a GitHub App project has no such value ("pipeline.schedule.name:
   * GitHub OAuth, Bitbucket Cloud", Pipeline values, https://circleci.com/docs/guides/orchestrate/pipeline-variables/).
   */
  private static Trigger schedule(String value, boolean named) {
    return Trigger.schedule(named ? value : "", Map.of(SCHEDULE, value), LAST_COMMIT);
  }

  @ParameterizedTest(name = "schedule name set: {0}")
  @ValueSource(booleans = {true, false})
  void theDailyScheduleRunsOnlyTheLiveChecks(boolean named) {
    Run run = CircleCiPipeline.run(setupConfig(), continuationConfig(), schedule("daily-live-checks", named));
    assertThat(run.workflows()).isEqualTo(Map.of("live-checks", Map.of("live-checks", "")));
  }

  @ParameterizedTest(name = "schedule name set: {0}")
  @ValueSource(booleans = {true, false})
  void theMonthlyScheduleRunsOnlyTheImageRefreshReviewApprovalAndDeploy(boolean named) {
    Run run = CircleCiPipeline.run(setupConfig(), continuationConfig(), schedule("monthly-image-refresh", named));
    assertThat(run.workflows()).containsOnlyKeys("image-refresh");
    assertThat(run.workflows().get("image-refresh"))
        .containsOnlyKeys("review-image-refresh", "approve-image-refresh", "deploy-image-refresh");
  }

  /** A mistyped schedule is refused (an enum value it does not list), not run as a push of the last commit. */
  @Test
  void aScheduleTheConfigsDoNotKnowIsRefused() {
    assertThatThrownBy(() -> CircleCiPipeline.run(setupConfig(), continuationConfig(), schedule("daily", true)))
        .isInstanceOf(Refused.class).hasMessageContaining("daily is not one of");
  }

  /** The one-time setup tells the user exactly the parameter values these tests trigger with. */
  @Test
  void theSetupInstructionsSetTheseParameterValues() throws IOException {
    String readme = Files.readString(CIRCLECI.resolve("README.md"));
    for (String value : Set.of("daily-live-checks", "monthly-image-refresh")) {
      assertThat(readme).contains("`" + SCHEDULE + "` = `" + value + "`");
    }
  }

  @ParameterizedTest(name = "{1} pushes {0} -> workflow {2}, app tests {3}")
  @CsvSource(delimiter = '|', value = {
      "README.md                                        | feature | docs-only | ''",
      "README.md docs/runbook.md                        | master  | docs-only | ''",
      "cloudformation/stack.yaml                        | feature | build     | false",
      "guard-rules/security_group.guard                 | master  | build     | false",
      "README.md cloudformation/stack-prod.json         | feature | build     | false",
      "vertx-app/src/main/java/com/benchsci/app/Main.java | master | build    | true",
      "deployer/src/main/java/com/benchsci/deployer/tools/ToolCache.java | feature | build | true",
      "pom.xml                                          | master  | build     | true",
      ".circleci/continue.yml                           | feature | build     | true",
      "cloudformation/stack.yaml vertx-app/pom.xml      | master  | build     | true",
  })
  void aPushRunsExactlyOneWorkflowChosenByTheChangedPaths(String changed, String branch, String workflow,
      String appTests) {
    Run run = CircleCiPipeline.run(setupConfig(), continuationConfig(), Trigger.push(branch, changed.split(" ")));

    assertThat(run.workflows()).as("workflows run for %s (parameters %s)", changed, run.parameters())
        .containsOnlyKeys(workflow);
    if (workflow.equals("docs-only")) {
      assertThat(run.workflows().get(workflow)).containsOnlyKeys("checks-passed");
    } else if (branch.equals("master")) {
      assertThat(run.workflows().get(workflow)).containsOnlyKeys("test", "host-boot", "checks-passed", "deploy",
          "approve-unreviewed-deploy", "deploy-approved-review");
    } else {
      assertThat(run.workflows().get(workflow)).containsOnlyKeys("test", "host-boot", "checks-passed", "review");
    }
    if (!workflow.equals("docs-only")) {
      assertThat(run.workflows().get(workflow).get("test")).as("test job's app-tests").isEqualTo(appTests);
    }
  }

  /**
   * Dynamic configuration overview, Config continuation constraints
   * (https://circleci.com/docs/guides/orchestrate/dynamic-config/): "The continue job/command will fail with the error
   * {"message":"Conflicting pipeline parameters."} when [...] the same pipeline parameter is declared in both the setup
   * and the continuation configurations [, the continuation] attempts to pass this pipeline parameter via the
   * parameters parameter [and] the pipeline is triggered via the API or via the Trigger Pipeline button, with a
   * parameter value that differs from the default". Any parameter a trigger can set is declared in config.yml, so no
   * continuation may pass one.
   */
  @Test
  void noContinuationPassesAParameterATriggerCanSet() {
    Map<String, Set<String>> passable = CircleCiPipeline.passableByContinuations(setupConfig());
    assertThat(passable).containsOnlyKeys("scheduled", "setup");
    passable.forEach((workflow, names) -> assertThat(names)
        .as("parameters the continuation of setup workflow %s passes that a trigger can also set", workflow)
        .doesNotContainAnyElementsOf(CircleCiPipeline.declared(setupConfig())));
  }

  /** The model refuses what CircleCI documents it refuses: the config as it was before issue 20 (finding 2). */
  @Test
  void aContinuationThatPassesTheTriggersOwnParameterAgainIsRefused() {
    JsonNode setup = setupConfig().deepCopy();
    ((ObjectNode) setup.path("workflows").path("scheduled").path("jobs").path(0).path("continuation/continue"))
        .put("parameters", "{\"schedule\": \"monthly-image-refresh\"}");
    assertThat(CircleCiPipeline.passableByContinuations(setup).get("scheduled")).containsExactly(SCHEDULE);
    assertThatThrownBy(() -> CircleCiPipeline.run(setup, continuationConfig(), schedule("monthly-image-refresh", true)))
        .isInstanceOf(Refused.class).hasMessageStartingWith("Conflicting pipeline parameters.");
  }
}
