package com.benchsci.deployer.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.live.DriftOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.DifferenceType;
import software.amazon.awssdk.services.cloudformation.model.PropertyDifference;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDrift;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDriftStatus;

/**
 * The drift report on DescribeStackResourceDrifts answers built with the SDK's own model builders: moto does not
 * implement drift detection, so these are the only drift answers there are to test the rendering with.
 */
class DriftTextTest {

  private static StackResourceDrift drift(String logicalId, String physicalId, String type,
      StackResourceDriftStatus status, PropertyDifference... differences) {
    return StackResourceDrift.builder().stackId("arn:aws:cloudformation:us-east-1:123456789012:stack/hello-host/1")
        .logicalResourceId(logicalId).physicalResourceId(physicalId).resourceType(type)
        .stackResourceDriftStatus(status).propertyDifferences(differences).build();
  }

  private static final StackResourceDrift OPENED_8080 = drift("WebSecurityGroup", "sg-0123456789abcdef0",
      "AWS::EC2::SecurityGroup", StackResourceDriftStatus.MODIFIED,
      PropertyDifference.builder().propertyPath("/SecurityGroupIngress/6").differenceType(DifferenceType.ADD)
          .actualValue("{\"CidrIp\":\"0.0.0.0/0\",\"FromPort\":8080,\"IpProtocol\":\"tcp\",\"ToPort\":8080}").build(),
      PropertyDifference.builder().propertyPath("/Tags/0/Value").differenceType(DifferenceType.NOT_EQUAL)
          .expectedValue("hello-host-prod-web").actualValue("web|debug").build());
  private static final StackResourceDrift TERMINATED = drift("WebServer", "i-0123456789abcdef0",
      "AWS::EC2::Instance", StackResourceDriftStatus.DELETED);
  private static final StackResourceDrift ROUTE = drift("DefaultRoute", "rtb-1|0.0.0.0/0", "AWS::EC2::Route",
      StackResourceDriftStatus.NOT_CHECKED);
  private static final StackResourceDrift VPC = drift("Vpc", "vpc-1", "AWS::EC2::VPC",
      StackResourceDriftStatus.IN_SYNC);

  private static DriftOutcome.StackResult complete(String stack, StackResourceDrift... drifts) {
    return new DriftOutcome.StackResult(stack, "DETECTION_COMPLETE", null, List.of(drifts));
  }

  @Test
  void inSyncStacksListWhatWasNotChecked() {
    DriftOutcome report = new DriftOutcome(List.of(complete("hello-host-bootstrap"),
        complete("hello-host", VPC, ROUTE)));
    assertThat(report.status()).isEqualTo(DriftOutcome.Status.IN_SYNC);
    assertThat(DriftText.console(report))
        .contains("Stack hello-host: IN_SYNC (0 drifted, 1 in sync, 1 not checked)",
            "Not checked (CloudFormation cannot detect drift on them): DefaultRoute (AWS::EC2::Route)",
            "No drift: every checked resource matches its template.");
  }

  @Test
  void driftNamesEachResourceAndEachPropertyExpectedAndActual() {
    DriftOutcome report = new DriftOutcome(List.of(complete("hello-host-bootstrap"),
        complete("hello-host", VPC, OPENED_8080, TERMINATED, ROUTE)));
    assertThat(report.status()).isEqualTo(DriftOutcome.Status.DRIFTED);
    assertThat(DriftText.console(report))
        .contains("Stack hello-host: DRIFTED (2 drifted, 1 in sync, 1 not checked)")
        .containsPattern("MODIFIED +WebSecurityGroup +sg-0123456789abcdef0 +AWS::EC2::SecurityGroup")
        .contains("/SecurityGroupIngress/6 [ADD]: (absent) → {\"CidrIp\":\"0.0.0.0/0\",\"FromPort\":8080,",
            "/Tags/0/Value [NOT_EQUAL]: hello-host-prod-web → web|debug")
        .containsPattern("DELETED +WebServer +i-0123456789abcdef0 +AWS::EC2::Instance")
        .contains("DRIFT FOUND");
    assertThat(DriftText.markdown(report))
        .contains("| MODIFIED | WebSecurityGroup | sg-0123456789abcdef0 | AWS::EC2::SecurityGroup |")
        .contains("/Tags/0/Value [NOT_EQUAL]: hello-host-prod-web → web\\|debug")
        .contains("| DELETED | WebServer | i-0123456789abcdef0 | AWS::EC2::Instance |  |")
        .contains("Not checked (CloudFormation cannot detect drift on them): `DefaultRoute` (AWS::EC2::Route)");
  }

  @Test
  void aFailedDetectionIsItsOwnStatusButDriftElsewhereWins() {
    DriftOutcome.StackResult failed = DriftOutcome.StackResult.failed("hello-host-bootstrap",
        "the endpoint http://127.0.0.1:5000 does not support drift detection");
    DriftOutcome onlyFailed = new DriftOutcome(List.of(failed, complete("hello-host", VPC)));
    assertThat(onlyFailed.status()).isEqualTo(DriftOutcome.Status.DETECTION_FAILED);
    assertThat(DriftText.console(onlyFailed)).contains("Stack hello-host-bootstrap: detection failed: the endpoint"
        + " http://127.0.0.1:5000 does not support drift detection", "DRIFT DETECTION FAILED");

    assertThat(new DriftOutcome(List.of(failed, complete("hello-host", TERMINATED))).status())
        .isEqualTo(DriftOutcome.Status.DRIFTED);
  }

  @Test
  void aDetectionThatAwsEndedAsFailedIsNotInSync() {
    // DETECTION_FAILED from AWS: some resources could not be checked; what was read is still shown.
    DriftOutcome report = new DriftOutcome(List.of(new DriftOutcome.StackResult("hello-host", "DETECTION_FAILED",
        "Failed to detect drift on resource [InstanceRole]", List.of(VPC))));
    assertThat(report.status()).isEqualTo(DriftOutcome.Status.DETECTION_FAILED);
    assertThat(DriftText.markdown(report))
        .contains("detection failed: Failed to detect drift on resource [InstanceRole]");
  }
}
