package com.benchsci.infra.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.api.Deployer;
import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.ProductStack;
import com.benchsci.deployer.testing.Tools;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * bootstrap.yaml and stack.yaml pass cfn-lint and the cfn-guard policy rules with no finding at all, informational
 * ones included: the build's one run of both tools on them. It is the check the {@code hello-host:check} goal makes
 * in {@code verify} ({@link Deployer#check(Path, Path, Path)}, the same library call with the goal's record,
 * {@code cloudformation/target/hello-host-check.sha256}), made here so that a finding fails the tests, with one test
 * case per template for CI's test results; the goal then finds these exact bytes recorded and does not run the tools
 * again. (Skipped tests, -DskipTests, leave the check to the goal.)
 */
@Tag("emulator")
class TemplatesCheckTest {

  private static final Path ROOT = Path.of(System.getProperty("repo.root"));
  private static final Path TEMPLATES = ROOT.resolve("cloudformation");
  private static final Path RULES = ROOT.resolve("guard-rules");
  /** Where the check goal keeps its record (CheckMojo: the project's build directory). */
  private static final Path RECORD = TEMPLATES.resolve("target/hello-host-check.sha256");
  private static final Pattern TEMPLATE = Pattern.compile("(?m)^(Resources:|\\s*\"Resources\"\\s*:)");

  private static String output;
  private static DeployException refusal;

  @BeforeAll
  static void checkBothTemplates() {
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text, true)) {
      new Deployer(Tools.cacheRoot(), out).check(TEMPLATES, RULES, RECORD);
    } catch (DeployException e) {
      refusal = e;
    }
    output = text.toString();
  }

  static Stream<Path> templates() {
    return ProductStack.templates(TEMPLATES).stream();
  }

  @ParameterizedTest(name = "cfn-lint and cfn-guard on {0}")
  @MethodSource("templates")
  void templateHasNoFinding(Path template) {
    boolean passedBefore = output.contains("passed these exact templates, rules and tool versions before");
    assertThat(passedBefore || output.contains("Checked " + template + ": cfn-lint and cfn-guard pass."))
        .as("cfn-lint and cfn-guard on %s:%n%s%s", template.getFileName(), output,
            refusal == null ? "" : refusal.getMessage())
        .isTrue();
  }

  /** A template added beside them would be checked by neither the deployer nor this test: it must be one of them. */
  @Test
  void theDeployersTemplatesAreTheOnlyOnes() throws IOException {
    List<Path> found;
    try (Stream<Path> files = Files.list(TEMPLATES)) {
      found = files.filter(f -> f.toString().matches(".*\\.(ya?ml|json|template)$"))
          .filter(TemplatesCheckTest::isTemplate).sorted().toList();
    }
    assertThat(found).containsExactlyInAnyOrderElementsOf(ProductStack.templates(TEMPLATES));
  }

  private static boolean isTemplate(Path file) {
    try {
      return TEMPLATE.matcher(Files.readString(file)).find();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
