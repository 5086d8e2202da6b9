package com.benchsci.infra.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.check.LintCheck;
import com.benchsci.deployer.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every template under cloudformation/ passes cfn-lint with no error, warning or informational finding, through
 * the same {@link LintCheck} the deployer runs before any AWS call. One test case per template, so Surefire's
 * JUnit XML (target/surefire-reports) lists each template with its findings for CI. (cfn-lint's own
 * {@code --format junit} needs the optional junit-xml package, which the registries we reach do not carry.)
 */
class CfnLintTest {

  private static final Path TEMPLATES = Path.of(System.getProperty("repo.root"), "cloudformation");

  private static LintCheck lint;

  @BeforeAll
  static void installCfnLint() {
    lint = new LintCheck(Tools.cache().cfnLint());
  }

  static Stream<Path> templates() throws IOException {
    List<Path> found;
    try (Stream<Path> files = Files.list(TEMPLATES)) {
      found = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(found).extracting(f -> f.getFileName().toString()).contains("stack.yaml", "bootstrap.yaml");
    return found.stream();
  }

  @ParameterizedTest(name = "cfn-lint {0}")
  @MethodSource("templates")
  void templateIsLintClean(Path template) {
    List<LintCheck.Finding> findings = lint.check(template);

    assertThat(findings).as("cfn-lint findings in %s", template.getFileName()).isEmpty();
  }
}
