package com.benchsci.infra.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.template.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The daily drift job can read everything it checks. "In order to successfully perform drift detection on a stack, a
 * user must have the following permissions: Read permission for each resource that supports drift detection included
 * in the stack [...] cloudformation:DetectStackDrift, cloudformation:DetectStackResourceDrift,
 * cloudformation:BatchDescribeTypeConfigurations" (CloudFormation User Guide, Considerations when detecting drift,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html#drift-considerations).
 * What "read permission" is for each type is its schema's handlers.read.permissions, checked into
 * src/test/resources/drift/read-permissions.yaml with its source; the review role, which runs the job, must be allowed
 * each of them on each resource of both templates, as IAM evaluates its policies ({@link BootstrapPolicies}).
 */
class DriftPermissionsTest {

  private static final Path TEMPLATES = Path.of(System.getProperty("repo.root"), "cloudformation");
  private static final Map<String, String> STACK_NAMES = Map.of("stack.yaml", "hello-host", "bootstrap.yaml",
      "hello-host-bootstrap");
  private static final Pattern READ_ONLY = Pattern.compile("[a-z0-9-]+:(Get|Describe|List|BatchDescribe)[\\w*]*|"
      + "cloudformation:DetectStack(Resource)?Drift", Pattern.CASE_INSENSITIVE);
  private static final Permissions PERMISSIONS = Permissions.load();

  /** A resource of one of the templates, the stack it belongs to, and its logical id. */
  record StackResource(String stack, String logicalId, String type, Map<?, ?> properties) {
    @Override
    public String toString() {
      return stack + "/" + logicalId + " (" + type + ")";
    }
  }

  /** The data file: the drift operations, and per resource type each read permission with what it is authorised on. */
  record Permissions(Map<String, String> drift, Map<String, Map<String, String>> types) {
    @SuppressWarnings("unchecked")
    static Permissions load() {
      try (InputStream in = DriftPermissionsTest.class.getResourceAsStream("/drift/read-permissions.yaml")) {
        Map<String, Object> data = new Yaml().load(in);
        return new Permissions((Map<String, String>) data.get("drift"),
            (Map<String, Map<String, String>>) data.get("types"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static Stream<StackResource> resources() {
    List<StackResource> all = new ArrayList<>();
    STACK_NAMES.forEach((file, stack) -> {
      Map<?, ?> resources = (Map<?, ?>) Template.load(TEMPLATES.resolve(file)).tree().get("Resources");
      resources.forEach((id, r) -> all.add(new StackResource(stack, (String) id, (String) ((Map<?, ?>) r).get("Type"),
          (Map<?, ?>) ((Map<?, ?>) r).get("Properties"))));
    });
    return all.stream();
  }

  @Test
  void thePermissionsFileListsExactlyTheResourceTypesOfBothTemplates() {
    assertThat(new TreeSet<>(PERMISSIONS.types().keySet()))
        .as("resource types in read-permissions.yaml; add a new type's handlers.read.permissions from its schema")
        .isEqualTo(new TreeSet<>(resources().map(StackResource::type).toList()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resources")
  void theReviewRoleMayReadTheResourceAsItsReadHandlerDoes(StackResource resource) {
    Map<String, String> reads = PERMISSIONS.types().get(resource.type());
    assertThat(reads).as("read permissions of %s", resource.type()).isNotEmpty();
    reads.forEach((action, authorisedOn) -> assertThat(
        BootstrapPolicies.decide("ReviewRole", action, requestResource(resource, authorisedOn), Map.of()))
        .as("ReviewRole %s on %s", action, resource).isEqualTo("allow"));
  }

  @Test
  void theReviewRoleMayDetectDriftOnBothStacksAndFollowIt() {
    for (String stack : STACK_NAMES.values()) {
      PERMISSIONS.drift().forEach((action, authorisedOn) -> assertThat(BootstrapPolicies.decide("ReviewRole", action,
          authorisedOn.equals("*") ? "*" : stackArn(stack), Map.of())).as("ReviewRole %s on %s", action, stack)
          .isEqualTo("allow"));
    }
  }

  /** The live-check policy only reads: every action it allows gets, describes or lists, or starts a drift detection. */
  @Test
  void theLiveCheckPolicyOnlyReads() {
    Map<?, ?> document = (Map<?, ?>) BootstrapPolicies.properties("LiveCheckPolicy").get("PolicyDocument");
    for (Object statement : BootstrapPolicies.list(document.get("Statement"))) {
      assertThat(((Map<?, ?>) statement).get("Effect")).isEqualTo("Allow");
      for (Object action : BootstrapPolicies.list(((Map<?, ?>) statement).get("Action"))) {
        assertThat((String) action).as("an action LiveCheckPolicy allows").matches(READ_ONLY);
      }
    }
  }

  /**
   * The ARN IAM authorises a read against: "*" for an action that takes no resource; otherwise the resource's own
   * ARN, with the physical names CloudFormation generates ("stack name-logical id-random", Name type,
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-name.html) where the
   * template gives none.
   */
  private static String requestResource(StackResource resource, String authorisedOn) {
    String generated = resource.stack() + "-" + resource.logicalId() + "-1A2B3C4D5E6F";
    return switch (authorisedOn) {
      case "*" -> "*";
      case "instance" -> "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0";
      case "vpc" -> "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0123456789abcdef0";
      case "role" -> "arn:aws:iam::123456789012:role/" + generated;
      case "instance-profile" -> "arn:aws:iam::123456789012:instance-profile/" + generated;
      case "policy" -> "arn:aws:iam::123456789012:policy/" + generated;
      case "oidc-provider" -> BootstrapPolicies.OIDC_PROVIDER;
      case "bucket" -> "arn:aws:s3:::" + BootstrapPolicies.text(BootstrapPolicies.properties(
          resource.type().equals("AWS::S3::BucketPolicy")
              ? (String) ((Map<?, ?>) resource.properties().get("Bucket")).get("Ref") : resource.logicalId())
          .get("BucketName"));
      default -> throw new AssertionError("no ARN known for IAM resource type " + authorisedOn);
    };
  }

  private static String stackArn(String stack) {
    return "arn:aws:cloudformation:us-east-1:123456789012:stack/" + stack + "/1";
  }
}
