package com.benchsci.infra.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.check.GuardCheck;
import com.benchsci.deployer.template.Template;
import com.benchsci.deployer.template.Violation;
import com.benchsci.deployer.testing.GuardRuleTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CloudFormation template under cloudformation/ complies with every guard rule. cfn-guard's JUnit XML per
 * template goes to cloudformation/target/cfn-guard-reports/ for CI; a violation fails with file, resource, rule
 * and the rule's [FIX] message.
 */
class GuardRulesTemplatesTest {

  private static final Path TEMPLATES = GuardRulesTest.ROOT.resolve("cloudformation");
  private static final Pattern TEMPLATE = Pattern.compile("(?m)^(Resources:|\\s*\"Resources\"\\s*:)");
  private static final Path REFERENCE = GuardRulesTest.ROOT.resolve(
      "cloudformation/src/test/resources/guard/policy-reference.yaml");
  private static final GuardCheck GUARD = GuardRulesTest.guard();

  /**
   * The templates: files in cloudformation/ with a Resources section (parameter files have none), and the rules'
   * reference template.
   */
  static Stream<Path> templates() throws IOException {
    try (Stream<Path> files = Files.list(TEMPLATES)) {
      List<Path> templates = files
          .filter(f -> f.toString().matches(".*\\.(ya?ml|json|template)$"))
          .filter(f -> !f.getFileName().toString().equals("pom.xml"))
          .filter(GuardRulesTemplatesTest::isTemplate)
          .sorted()
          .toList();
      assertThat(templates).as("templates in %s", TEMPLATES).isNotEmpty();
      return Stream.concat(templates.stream(), Stream.of(REFERENCE));
    }
  }

  @ParameterizedTest
  @MethodSource("templates")
  void templateComplies(Path template) {
    String name = template.getFileName().toString();
    GuardRuleTests.forRepository(GuardRulesTest.ROOT)
        .writeValidateReport(template, GuardRulesTest.REPORTS.resolve("validate-" + name + ".xml"));
    List<Violation> violations = GUARD.validate(template);
    assertThat(violations)
        .as("guard rule violations:%n%s", violations.stream().map(Object::toString).collect(Collectors.joining("\n")))
        .isEmpty();
  }

  /** GUARD_HOOK_ENFORCED skips a template without a Guard Hook: the bootstrap must have one for it to check. */
  @Test
  void bootstrapDeclaresTheGuardHookThatGuardHookEnforcedChecks() {
    Map<String, Object> resources = asMap(Template.load(TEMPLATES.resolve("bootstrap.yaml")).tree().get("Resources"));
    assertThat(resources.values()).as("resources of bootstrap.yaml")
        .anySatisfy(r -> assertThat(asMap(r)).containsEntry("Type", "AWS::CloudFormation::GuardHook"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  private static boolean isTemplate(Path file) {
    try {
      return TEMPLATE.matcher(Files.readString(file)).find();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
