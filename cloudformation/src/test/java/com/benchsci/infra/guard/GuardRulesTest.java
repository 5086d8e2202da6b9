package com.benchsci.infra.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.check.GuardCheck;
import com.benchsci.deployer.testing.GuardRuleTests;
import com.benchsci.deployer.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The policy rules themselves: their cfn-guard tests pass (JUnit XML for CI in
 * cloudformation/target/cfn-guard-reports/), and every rule follows the registry style the rules are written in.
 */
@Tag("emulator")
class GuardRulesTest {

  static final Path ROOT = Path.of(System.getProperty("repo.root"));
  static final Path RULES = ROOT.resolve("guard-rules");
  static final Path REPORTS = ROOT.resolve("cloudformation/target/cfn-guard-reports");

  /** The deployer's policy check with the repository's rules. */
  static GuardCheck guard() {
    return new GuardCheck(Tools.cache().cfnGuard(), RULES);
  }

  private static final Pattern MESSAGE = Pattern.compile("<<(.*?)>>", Pattern.DOTALL);

  @Test
  void ruleTestsPass() {
    GuardRuleTests.Result result = GuardRuleTests.forRepository(ROOT).run(REPORTS.resolve("rule-tests.xml"));
    assertThat(result.passed()).as("cfn-guard test -d guard-rules:%n%s", result.report()).isTrue();
  }

  static Stream<Path> rules() throws IOException {
    try (Stream<Path> files = Files.list(RULES)) {
      List<Path> rules = files.filter(f -> f.toString().endsWith(".guard")).sorted().toList();
      assertThat(rules).as("rules in %s", RULES).isNotEmpty();
      return rules.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("rules")
  void ruleHasSkipPassAndFailTests(Path rule) throws IOException {
    String name = rule.getFileName().toString().replace(".guard", "");
    Path tests = RULES.resolve("tests/" + name + "_tests.yaml");
    assertThat(tests).as("test file of %s", rule).exists();
    List<Map<String, Map<String, Map<String, String>>>> cases = new Yaml().load(Files.readString(tests));
    List<String> expectations = cases.stream()
        .flatMap(c -> c.get("expectations").get("rules").values().stream())
        .toList();
    assertThat(expectations).as("expectations in %s", tests).contains("SKIP", "PASS", "FAIL");
  }

  @ParameterizedTest
  @MethodSource("rules")
  void ruleFollowsTheRegistryStyle(Path rule) throws IOException {
    String text = Files.readString(rule);
    assertThat(text).as("%s header", rule)
        .contains("Rule Identifier:", "Description:", "Scenarios:", "SKIP:", "PASS:", "FAIL:");
    assertThat(text).as("%s constants", rule).contains("let INPUT_DOCUMENT = this");
    List<String> messages = MESSAGE.matcher(text).results().map(r -> r.group(1)).toList();
    assertThat(messages).as("messages of %s", rule).isNotEmpty()
        .allSatisfy(message -> assertThat(message).contains("[FIX]:").containsPattern("\\[[A-Z0-9_]+\\]:"));
    long primaryRules = text.lines().filter(line -> line.matches("rule [A-Z0-9_]+ .*")).count();
    assertThat(primaryRules).as("one primary (upper-case) rule in %s", rule).isEqualTo(1);
  }
}
