package com.benchsci.deployer.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.benchsci.deployer.template.Violation;
import com.benchsci.deployer.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GuardCheck against the real cfn-guard and the repository's real rules. */
@Tag("emulator")
class GuardCheckTest {

  private static final Path RULES = Path.of(System.getProperty("repo.root", "..")).resolve("guard-rules");

  private final GuardCheck guard = new GuardCheck(Tools.cache().cfnGuard(), RULES);

  @TempDir
  Path dir;

  /** An AWS::S3::Bucket with public access blocked, default encryption and versioning, as a Resources entry. */
  private static String encryptedPrivateBucket(String logicalId) {
    return """
          %s:
            Type: AWS::S3::Bucket
            Properties:
              PublicAccessBlockConfiguration:
                BlockPublicAcls: true
                BlockPublicPolicy: true
                IgnorePublicAcls: true
                RestrictPublicBuckets: true
              BucketEncryption:
                ServerSideEncryptionConfiguration:
                  - ServerSideEncryptionByDefault: { SSEAlgorithm: AES256 }
              VersioningConfiguration: { Status: Enabled }
        """.formatted(logicalId);
  }

  /** A bucket that satisfies every bucket rule: the smallest template that passes all rules. */
  private static final String COMPLIANT_BUCKET = "Resources:\n" + encryptedPrivateBucket("Artifacts") + """
        ArtifactsPolicy:
          Type: AWS::S3::BucketPolicy
          Properties:
            Bucket: !Ref Artifacts
            PolicyDocument:
              Statement:
                - Effect: Deny
                  Principal: "*"
                  Action: "s3:*"
                  Resource: [ !GetAtt Artifacts.Arn, !Sub "${Artifacts.Arn}/*" ]
                  Condition: { Bool: { "aws:SecureTransport": false } }
      """;

  @Test
  void compliantTemplateHasNoViolations() throws IOException {
    assertThat(guard.validate(write("bucket.yaml", COMPLIANT_BUCKET))).isEmpty();
  }

  @Test
  void violationsNameFileResourceRuleAndFix() throws IOException {
    Path template = write("open.yaml", """
        Resources:
          Web:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: web
              SecurityGroupIngress:
                - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }
                - { IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIp: 0.0.0.0/0 }
          Sneaky:
            Type: AWS::EC2::SecurityGroupIngress
            Properties: { GroupId: !Ref Web, IpProtocol: "6", FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }
          Address:
            Type: AWS::EC2::EIP
            Properties: { Domain: vpc }
        """);

    List<Violation> violations = guard.validate(template);

    assertThat(violations)
        .extracting(Violation::resource, Violation::rule)
        .contains(
            tuple("Web", "SG_INGRESS_POLICY"),
            tuple("Sneaky", "SG_INGRESS_POLICY"),
            tuple("Web", "SG_REQUIRED_OPENINGS"),
            tuple("Address", "HOST_EIP_RETAINED"))
        .doesNotContain(tuple("Web", "HOST_EIP_RETAINED"));
    assertThat(violations).allSatisfy(v -> {
      assertThat(v.file()).isEqualTo(template);
      assertThat(v.resource()).isNotEmpty();
      assertThat(v.message()).contains("[" + v.rule() + "]").contains("[FIX]");
    });
    assertThat(violations.stream().filter(v -> v.resource().equals("Web") && v.rule().equals("SG_REQUIRED_OPENINGS")))
        .extracting(Violation::message)
        .anyMatch(m -> m.contains("ping"))
        .anyMatch(m -> m.contains("tcp 80"));
    assertThat(violations.get(0).toString()).startsWith(template + " resource ");
  }

  @Test
  void aGroupWithoutAnyIngressIsAViolationNotASilentPass() throws IOException {
    // cfn-guard reports a property that is missing as an "unresolved" block, not as a failed "check".
    Path template = write("empty-group.yaml", """
        Resources:
          Empty:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: nothing open
        """);

    assertThat(guard.validate(template, List.of("sg_required_openings.guard")))
        .extracting(Violation::resource, Violation::rule).contains(tuple("Empty", "SG_REQUIRED_OPENINGS"));
    assertThat(guard.validate(template, List.of("sg_required_openings.guard")).get(0).message())
        .startsWith("[SG_REQUIRED_OPENINGS]: The security group does not allow HTTP (tcp 80) from 0.0.0.0/0.")
        .contains("[FIX]");
  }

  @Test
  void bucketWithoutTlsPolicyIsNamedByItsLogicalId() throws IOException {
    Path template = write("two-buckets.yaml", COMPLIANT_BUCKET + encryptedPrivateBucket("Logs"));

    assertThat(guard.validate(template))
        .extracting(Violation::resource, Violation::rule)
        .containsExactly(tuple("Logs", "BUCKET_TLS_ONLY"));
  }

  @Test
  void unreadableTemplateIsAnErrorNamingTheFile() throws IOException {
    Path template = write("broken.yaml", "Resources:\n  A: [unclosed\n");
    assertThatThrownBy(() -> guard.validate(template))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(template.toString());
    assertThatThrownBy(() -> guard.validate(dir.resolve("missing.yaml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.yaml");
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }
}
