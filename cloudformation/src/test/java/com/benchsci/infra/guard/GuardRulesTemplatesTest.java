package com.benchsci.infra.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.template.Template;
import com.benchsci.deployer.template.Violation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rules' reference template complies with every guard rule; a violation fails with file, resource, rule and the
 * rule's [FIX] message. (bootstrap.yaml and stack.yaml are checked once per build, with cfn-lint, by
 * {@code TemplatesCheckTest}.)
 */
@Tag("emulator")
class GuardRulesTemplatesTest {

  private static final Path TEMPLATES = GuardRulesTest.ROOT.resolve("cloudformation");
  private static final Path REFERENCE = GuardRulesTest.ROOT.resolve(
      "cloudformation/src/test/resources/guard/policy-reference.yaml");

  @Test
  void theReferenceTemplateComplies() {
    List<Violation> violations = GuardRulesTest.guard().validate(REFERENCE);
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
}
