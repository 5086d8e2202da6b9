package com.benchsci.infra.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.template.Template;
import com.benchsci.deployer.template.Violation;
import com.benchsci.deployer.testing.GuardRuleTests;
import com.benchsci.deployer.testing.Tools;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * One rule file, two inputs. The Guard Hook runs guard-rules/ on what CloudFormation hands it: for STACK and
 * CHANGE_SET operations the proposed template merged at the top level with a HookContext and the Previous template,
 * and for change sets also Changes (JSON-string contexts). Every case of every rule's tests/&lt;rule&gt;_tests.yaml
 * (passing cases and every evasion) is wrapped in both shapes and must get the verdict it gets as a template file
 * (cfn-guard test; JUnit XML in cloudformation/target/cfn-guard-reports/). Previous always holds a wide-open group,
 * so a rule that read it instead of the proposed template would show. And the real app stack passes every rule,
 * the hook-only one included, in both shapes.
 */
@Tag("emulator")
class GuardHookInputsTest {

  enum Shape { STACK, CHANGE_SET }

  private static final Path SHAPED = GuardRulesTest.ROOT.resolve("cloudformation/target/guard-hook-shapes");
  private static final String HOOK_ONLY_RULE = "hook_input_is_a_template";
  private static final String CHANGE_SET_ARN =
      "arn:aws:cloudformation:us-east-1:123456789012:changeSet/manual-1/1a2345b6-0000-00a0-a123-00abc0abc001";
  private static final Map<String, Object> WIDE_OPEN_PREVIOUS = Map.of("Resources", Map.of("OpenGroup", Map.of(
      "Type", "AWS::EC2::SecurityGroup",
      "Properties", Map.of("GroupDescription", "open", "SecurityGroupIngress",
          List.of(Map.of("IpProtocol", "-1", "CidrIp", "0.0.0.0/0"))))));
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyRuleTestGetsTheTemplatesVerdictAsAStackAndAChangeSetHookInput() throws IOException {
    // Only the current rules: a copy left from a rule since deleted would be tested too.
    if (Files.exists(SHAPED)) {
      try (Stream<Path> old = Files.walk(SHAPED)) {
        for (Path file : old.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    Path tests = Files.createDirectories(SHAPED.resolve("tests"));
    int wrapped = 0;
    for (Path rule : GuardRulesTest.rules().filter(r -> !name(r).equals(HOOK_ONLY_RULE)).toList()) {
      Files.copy(rule, SHAPED.resolve(rule.getFileName()));
      List<Map<String, Object>> cases = new Yaml().load(
          Files.readString(GuardRulesTest.RULES.resolve("tests/" + name(rule) + "_tests.yaml")));
      List<Map<String, Object>> shaped = new ArrayList<>();
      for (Map<String, Object> c : cases) {
        for (Shape shape : Shape.values()) {
          Map<String, Object> copy = new LinkedHashMap<>(c);
          copy.put("name", c.get("name") + " [as a " + shape + " hook input]");
          copy.put("input", hookInput(shape, asMap(c.get("input"))));
          shaped.add(copy);
        }
      }
      Files.writeString(tests.resolve(name(rule) + "_tests.yaml"), block().dump(shaped));
      wrapped += shaped.size();
    }
    assertThat(wrapped).as("wrapped rule test cases").isGreaterThan(300);

    GuardRuleTests.Result result = new GuardRuleTests(Tools.cache().cfnGuard(), SHAPED)
        .run(GuardRulesTest.REPORTS.resolve("rule-tests-as-hook-inputs.xml"));
    assertThat(result.passed()).as("cfn-guard test of the rule tests as hook inputs:%n%s", result.report()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void theAppStackPassesEveryRuleAsAHookInput(Shape shape) throws IOException {
    Map<String, Object> template = Template.load(GuardRulesTest.ROOT.resolve("cloudformation/stack.yaml")).tree();
    Path input = Files.createDirectories(SHAPED).resolve("stack-" + shape + ".json");
    Files.writeString(input, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(hookInput(shape, template)));

    List<Violation> violations = GuardRulesTest.guard().validate(input);

    assertThat(violations).as("violations of stack.yaml as a %s hook input:%n%s", shape,
        violations.stream().map(Object::toString).collect(Collectors.joining("\n"))).isEmpty();
  }

  /** The document the hook evaluates, as AWS's "Write Guard rules for Guard Hooks" describes it. */
  static Map<String, Object> hookInput(Shape shape, Map<String, Object> template) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("AWSAccountID", "123456789012");
    context.put("StackId",
        "arn:aws:cloudformation:us-east-1:123456789012:stack/hello-host/1a2345b6-0000-00a0-a123-00abc0abc000");
    context.put("HookTypeName", "Private::Guard::HelloHostFirewall");
    context.put("HookTypeVersion", "00000001");
    context.put("InvocationPoint", shape == Shape.STACK ? "UPDATE_PRE_PROVISION" : "CREATE_PRE_PROVISION");
    context.put("TargetName", "hello-host");
    context.put("TargetType", shape.name());
    if (shape == Shape.CHANGE_SET) {
      context.put("TargetLogicalId", CHANGE_SET_ARN);
    }
    context.put("ChangeSetId", shape == Shape.CHANGE_SET ? CHANGE_SET_ARN : "");

    Map<String, Object> input = new LinkedHashMap<>();
    input.put("HookContext", context);
    input.putAll(template);
    input.put("Previous", WIDE_OPEN_PREVIOUS);
    if (shape == Shape.CHANGE_SET) {
      input.put("Changes", changes(template));
    }
    return input;
  }

  /** One CREATE per resource, its properties as the JSON string CloudFormation puts in afterContext. */
  private static List<Map<String, Object>> changes(Map<String, Object> template) {
    List<Map<String, Object>> changes = new ArrayList<>();
    if (template.get("Resources") instanceof Map<?, ?> resources) {
      int line = 1;
      for (Map.Entry<?, ?> resource : resources.entrySet()) {
        Map<String, Object> body = asMap(resource.getValue());
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("logicalResourceId", String.valueOf(resource.getKey()));
        change.put("resourceType", String.valueOf(body.get("Type")));
        change.put("action", "CREATE");
        change.put("lineNumber", line++);
        change.put("beforeContext", "{}");
        change.put("afterContext", json(Map.of("Properties", body.getOrDefault("Properties", Map.of()))));
        changes.add(change);
      }
    }
    return changes;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Yaml block() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setWidth(160);
    return new Yaml(options);
  }

  private static String name(Path rule) {
    return rule.getFileName().toString().replace(".guard", "");
  }
}
