package com.benchsci.deployer.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.template.Template;
import com.benchsci.deployer.testing.MainCodeOnly;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/rehearsal-policy.json is exactly what a rehearsal needs on a sandbox account: every AWS API call the deployer
 * makes (read from its classes: each call on an SDK client, paginator or waiter, as the IAM action it is authorised
 * by), every permission CloudFormation's handlers need as the caller for the resource types of both templates
 * (handler-permissions.yaml, from the resource type schemas), and the few checks CloudFormation makes itself with the
 * caller's permissions ({@link #CLOUDFORMATION_ITSELF}); nothing more. The emulator's workarounds (MotoQuirks) never
 * reach AWS and are left out.
 */
class RehearsalPolicyTest {

  private static final Path REPO = Path.of(System.getProperty("repo.root"));
  private static final Pattern SERVICE = Pattern.compile("software\\.amazon\\.awssdk\\.services\\.(\\w+)\\.\\w+(Client|Waiter)");

  /**
   * API operations authorised by an IAM action of another name: S3's (Actions, resources, and condition keys for
   * Amazon S3, https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html, and each S3 API
   * page's Permissions section). DeleteObjects with version ids (the clean-up's) needs DeleteObjectVersion.
   */
  private static final Map<String, List<String>> ACTIONS_OF = Map.of(
      "s3:HeadObject", List.of("s3:GetObject"),
      "s3:HeadBucket", List.of("s3:ListBucket"),
      "s3:ListObjectVersions", List.of("s3:ListBucketVersions"),
      "s3:ListBuckets", List.of("s3:ListAllMyBuckets"),
      "s3:DeleteObjects", List.of("s3:DeleteObject", "s3:DeleteObjectVersion"));

  /** Waiters poll one operation each (the services' waiters-2.json). */
  private static final Map<String, String> WAITED_WITH = Map.of(
      "cloudformation:waitUntilStackDeleteComplete", "cloudformation:DescribeStacks",
      "cloudformation:waitUntilChangeSetCreateComplete", "cloudformation:DescribeChangeSet",
      "ec2:waitUntilInstanceTerminated", "ec2:DescribeInstances");

  /**
   * What CloudFormation checks with the caller's own permissions beyond the handlers: parameters of an AWS-specific
   * type (AWS::EC2::Image::Id) are validated against the account (Parameters, CloudFormation User Guide,
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-specific-parameter-types),
   * Fn::GetAZs lists the region's zones (Fn::GetAZs, Template Reference), and drift detection needs
   * DetectStackResourceDrift besides DetectStackDrift (Considerations when detecting drift, CloudFormation User Guide,
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html#drift-considerations).
   */
  private static final Set<String> CLOUDFORMATION_ITSELF = Set.of("ec2:DescribeImages", "ec2:DescribeAvailabilityZones",
      "cloudformation:DetectStackResourceDrift");

  @Test
  void thePolicyAllowsExactlyWhatTheCodeAndCloudFormationCall() throws IOException {
    Set<String> needed = new TreeSet<>(calledByTheCode());
    // IAM compares service prefixes case-insensitively; a schema writes one "S3:...".
    needed.addAll(handlerPermissions().values().stream().flatMap(h -> h.values().stream())
        .flatMap(List::stream).map(RehearsalPolicyTest::lowerCasePrefix).toList());
    needed.addAll(CLOUDFORMATION_ITSELF);
    assertThat(allowed()).as("docs/rehearsal-policy.json").containsExactlyInAnyOrderElementsOf(needed);
  }

  @Test
  void theHandlerPermissionsAreThoseOfExactlyTheResourceTypesOfBothTemplates() {
    Set<String> types = new TreeSet<>();
    for (String template : List.of("bootstrap.yaml", "stack.yaml")) {
      types.addAll(Template.load(REPO.resolve("cloudformation").resolve(template)).resourceTypes());
    }
    assertThat(handlerPermissions().keySet()).as("types in handler-permissions.yaml").isEqualTo(types);
  }

  /** Each SDK call in the deployer's main classes (the emulator package aside) as the IAM action that allows it. */
  static Set<String> calledByTheCode() {
    JavaClasses classes = new ClassFileImporter().withImportOption(new MainCodeOnly())
        .importPackages("com.benchsci.deployer");
    Set<String> actions = new TreeSet<>();
    classes.stream().filter(c -> !c.getPackageName().startsWith("com.benchsci.deployer.emulator"))
        .flatMap(c -> c.getMethodCallsFromSelf().stream()).forEach(call -> actions.addAll(action(call)));
    return actions;
  }

  private static List<String> action(JavaMethodCall call) {
    Matcher owner = SERVICE.matcher(call.getTargetOwner().getName());
    String method = call.getName();
    if (!owner.matches() || Set.of("builder", "waiter", "close", "serviceName", "serviceClientConfiguration",
        "utilities")
        .contains(method)) {
      return List.of();
    }
    String service = owner.group(1);
    if (method.startsWith("waitUntil")) {
      String polled = WAITED_WITH.get(service + ":" + method);
      assertThat(polled).as("the operation that waiter " + method + " polls").isNotNull();
      return List.of(polled);
    }
    String operation = method.replaceFirst("Paginator$", "");
    String action = service + ":" + Character.toUpperCase(operation.charAt(0)) + operation.substring(1);
    return ACTIONS_OF.getOrDefault(action, List.of(action));
  }

  private static String lowerCasePrefix(String action) {
    int colon = action.indexOf(':');
    return action.substring(0, colon).toLowerCase(java.util.Locale.ROOT) + action.substring(colon);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, List<String>>> handlerPermissions() {
    try (InputStream in = RehearsalPolicyTest.class.getResourceAsStream("/rehearsal/handler-permissions.yaml")) {
      return (Map<String, Map<String, List<String>>>) new Yaml().<Map<String, Object>>load(in).get("types");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Allow statements' actions; JSON is YAML, so SnakeYAML reads the policy. */
  @SuppressWarnings("unchecked")
  private static Set<String> allowed() throws IOException {
    Map<String, Object> policy = new Yaml().load(Files.readString(REPO.resolve("docs/rehearsal-policy.json")));
    Set<String> actions = new TreeSet<>();
    for (Map<String, Object> statement : (List<Map<String, Object>>) policy.get("Statement")) {
      assertThat(statement.get("Effect")).isEqualTo("Allow");
      actions.addAll((List<String>) statement.get("Action"));
    }
    return actions;
  }
}
