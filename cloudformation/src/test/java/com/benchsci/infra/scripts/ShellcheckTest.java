package com.benchsci.infra.scripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.benchsci.hostharness.HostTemplate;
import com.benchsci.infra.repo.RepositoryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * shellcheck {@value Shellcheck#VERSION} finds nothing in the project's shell: every shell script of the repository
 * (a {@code *.sh} file, or one whose {@code #!} line names sh or bash), and the two scripts the app stack runs on the
 * host, taken out of {@code cloudformation/stack.yaml} as the host receives them: {@code hello-rollout} (cfn-init's
 * file content) and the UserData script with its {@code ${...}} substituted as Fn::Sub does. A finding is fixed in the
 * script; a {@code # shellcheck disable=} needs a comment that says why. Where shellcheck cannot be installed (not
 * root) the checks skip with one loud line.
 */
@Tag("emulator")
class ShellcheckTest {

  private static final Path ROOT = Path.of(System.getProperty("repo.root")).toAbsolutePath().normalize();
  private static final Path STACK = ROOT.resolve("cloudformation/stack.yaml");
  private static final String ROLLOUT = "/usr/local/sbin/hello-rollout";
  /** Scripts that are not ours to edit, each with the reason. */
  private static final Map<String, String> NOT_OURS = Map.of(
      "mvnw", "the Maven Wrapper's generated script, replaced whole by `mvn wrapper:wrapper`; never edited here");

  @TempDir Path work;

  @BeforeAll
  static void shellcheckAtThePinnedVersion() {
    String why = Shellcheck.whyUnavailable();
    if (why != null) {
      System.out.println("!!!!! ShellcheckTest SKIPPED: " + why + " !!!!!");
    }
    assumeTrue(why == null, "SKIPPED LOUDLY: " + why);
  }

  @Test
  void everyShellScriptOfTheRepositoryIsClean() {
    List<Path> scripts = shellScripts();

    Shellcheck.Outcome outcome = Shellcheck.check(ROOT, scripts);

    assertThat(outcome.clean()).as("shellcheck %s over %s (exit %d):%n%s", Shellcheck.VERSION, scripts,
        outcome.exitCode(), outcome.output()).isTrue();
  }

  @Test
  void theScriptsTheTemplateRunsOnTheHostAreClean() throws IOException {
    HostTemplate host = HostTemplate.read(STACK);
    Path rollout = write("hello-rollout", fileContent(host, ROLLOUT));
    Path userData = write("UserData", host.userData());

    Shellcheck.Outcome outcome = Shellcheck.check(work, List.of(rollout.getFileName(), userData.getFileName()));

    assertThat(outcome.clean()).as("shellcheck %s over %s's %s content and UserData (lines counted from each"
        + " script's #! line; exit %d):%n%s", Shellcheck.VERSION, STACK, ROLLOUT, outcome.exitCode(), outcome.output())
        .isTrue();
  }

  @Test
  void theRepositoryScriptsIncludeTheKnownOnesAndLeaveOutOnlyWhatIsNotOurs() {
    List<String> found = shellScripts().stream().map(Path::toString).toList();

    assertThat(found).contains(".ci/run", ".circleci/github.sh", ".circleci/post-review-comment.sh",
        "bench/lib.sh", "bench/verify-time.sh");
    assertThat(found).doesNotContainAnyElementsOf(NOT_OURS.keySet());
    assertThat(ROOT.resolve("mvnw")).as("the excluded script still exists, else drop its exclusion").exists();
  }

  @Test
  void aFindingFailsTheCheckAndNamesTheScriptAndLine() throws IOException {
    Path script = write("unquoted.sh", "#!/bin/bash\nrm -rf $1/cache\n");

    Shellcheck.Outcome outcome = Shellcheck.check(work, List.of(script.getFileName()));

    assertThat(outcome.clean()).isFalse();
    assertThat(outcome.output()).contains("unquoted.sh:2:8:", "[SC2086]");
  }

  /** The repository's shell scripts, relative to its root, in name order, without those in {@link #NOT_OURS}. */
  private static List<Path> shellScripts() {
    return RepositoryFiles.under(ROOT).stream()
        .filter(ShellcheckTest::isShellScript)
        .map(ROOT::relativize)
        .filter(p -> !NOT_OURS.containsKey(p.toString()))
        .toList();
  }

  private static boolean isShellScript(Path file) {
    if (file.getFileName().toString().endsWith(".sh")) {
      return true;
    }
    try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String first = reader.readLine();
      return first != null && first.matches("#!\\s*\\S*(/|env\\s+)(ba)?sh(\\s.*)?");
    } catch (IOException | UncheckedIOException notText) {
      return false; // binary files (diagram.png, jars) are not scripts
    }
  }

  @SuppressWarnings("unchecked")
  private static String fileContent(HostTemplate host, String path) {
    Map<String, Object> config = (Map<String, Object>) host.init().get("config");
    Map<String, Object> files = (Map<String, Object>) config.get("files");
    Object file = files.get(path);
    assertThat(file).as("%s's cfn-init config writes %s", host.resource(), path).isInstanceOf(Map.class);
    return String.valueOf(((Map<String, Object>) file).get("content"));
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(work.resolve(name), content);
  }
}
