package com.benchsci.deployer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.deploy.DeployOutcome;
import com.benchsci.deployer.deploy.Review;
import com.benchsci.deployer.live.AuditOutcome;
import com.benchsci.deployer.live.DriftOutcome;
import com.benchsci.deployer.live.LiveFirewall;
import com.benchsci.deployer.rehearsal.RehearsalId;
import com.benchsci.deployer.rehearsal.RehearsalOutcome;
import com.benchsci.deployer.rehearsal.Step;
import com.benchsci.deployer.rehearsal.StepResult;
import com.benchsci.deployer.template.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDrift;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDriftStatus;

/** Each outcome maps to its own exit code, and docs/cli.md lists exactly those codes with those meanings. */
class ExitCodeTest {

  private static final Path DOC = Path.of(System.getProperty("repo.root"), "docs", "cli.md");

  @Test
  void everyCodeHasOneMeaning() {
    assertThat(Arrays.stream(ExitCode.values()).map(ExitCode::code)).doesNotHaveDuplicates();
  }

  @ParameterizedTest
  @EnumSource(DeployOutcome.Kind.class)
  void aDeployExitsNonZeroOnlyWhenItStoppedBeforeUnreviewedChanges(DeployOutcome.Kind kind) {
    ExitCode code = ExitCode.of(new DeployOutcome(kind, new Review("AWS us-east-1", "run"), Path.of("review.md"),
        Path.of("review-digests.txt"), Path.of("review-comment.md")));
    assertThat(code).isEqualTo(kind == DeployOutcome.Kind.STOPPED_UNREVIEWED ? ExitCode.UNREVIEWED : ExitCode.OK);
  }

  @Test
  void driftFoundDetectionFailedAndInSyncAreThreeCodesAndDriftWins() {
    DriftOutcome.StackResult failed = DriftOutcome.StackResult.failed("hello-host-bootstrap", "no drift detection");
    DriftOutcome.StackResult inSync = complete(StackResourceDriftStatus.IN_SYNC);
    DriftOutcome.StackResult drifted = complete(StackResourceDriftStatus.MODIFIED);

    assertThat(ExitCode.of(new DriftOutcome(List.of(inSync)))).isEqualTo(ExitCode.OK);
    assertThat(ExitCode.of(new DriftOutcome(List.of(failed, inSync)))).isEqualTo(ExitCode.DRIFT_UNKNOWN);
    assertThat(ExitCode.of(new DriftOutcome(List.of(failed, drifted)))).isEqualTo(ExitCode.DRIFTED);
  }

  @Test
  void anAuditWithAViolationHasItsOwnCode() {
    LiveFirewall firewall = new LiveFirewall("WebServer", "i-0abc", "Vpc", "10.0.0.0/16", List.of(), List.of());
    Violation violation = new Violation(Path.of("audit.yaml"), "", "SG_REQUIRED_OPENINGS", "no HTTP", "");
    assertThat(ExitCode.of(new AuditOutcome("hello-host", firewall, List.of(), 4))).isEqualTo(ExitCode.OK);
    assertThat(ExitCode.of(new AuditOutcome("hello-host", firewall,
        List.of(new AuditOutcome.Finding(violation, null, null)), 4))).isEqualTo(ExitCode.VIOLATIONS);
  }

  @Test
  void aRehearsalFailsOnlyOnAFailedStepOrAnInterruptionNotOnWhatTheEndpointCannotDo() {
    RehearsalId id = new RehearsalId("hello-rh-0a1b2c3d");
    StepResult passed = new StepResult(Step.CREATE, StepResult.Status.PASSED, "made");
    StepResult impossible = new StepResult(Step.HOOK_REFUSES, StepResult.Status.NOT_POSSIBLE, "no hooks");
    StepResult failed = new StepResult(Step.DRIFT, StepResult.Status.FAILED, "not reported");
    assertThat(ExitCode.of(new RehearsalOutcome(id, "AWS", List.of(passed, impossible), false)))
        .isEqualTo(ExitCode.OK);
    assertThat(ExitCode.of(new RehearsalOutcome(id, "AWS", List.of(passed, failed, impossible), false)))
        .isEqualTo(ExitCode.REHEARSAL_FAILED);
    assertThat(ExitCode.of(new RehearsalOutcome(id, "AWS", List.of(passed), true)))
        .isEqualTo(ExitCode.REHEARSAL_FAILED);
  }

  @Test
  void theDocumentedExitCodesAreTheseAndOnlyThese() throws IOException {
    Matcher row = Pattern.compile("(?m)^\\| (\\d+) \\| (.+) \\|$").matcher(Files.readString(DOC));
    StringBuilder documented = new StringBuilder();
    while (row.find()) {
      documented.append(row.group(1)).append(' ').append(row.group(2)).append('\n');
    }
    String expected = Arrays.stream(ExitCode.values()).map(c -> c.code() + " " + c.meaning() + "\n")
        .collect(Collectors.joining());
    assertThat(documented.toString()).as("the exit code table of %s", DOC)
        .startsWith(expected);
  }

  private static DriftOutcome.StackResult complete(StackResourceDriftStatus status) {
    return new DriftOutcome.StackResult("hello-host", "DETECTION_COMPLETE", null, List.of(StackResourceDrift.builder()
        .logicalResourceId("WebSecurityGroup").resourceType("AWS::EC2::SecurityGroup")
        .stackResourceDriftStatus(status).build()));
  }
}
