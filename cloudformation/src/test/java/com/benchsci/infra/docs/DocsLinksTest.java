package com.benchsci.infra.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.infra.repo.RepositoryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation holds together: every relative link and {@code #anchor} of the repository's Markdown files (the
 * README, {@code docs/}, the folders' own READMEs) names a file or folder that exists and a heading that file has, and
 * the README fits {@value #README_MAX_LINES} lines (the rest lives in {@code docs/}).
 */
class DocsLinksTest {

  private static final Path ROOT = Path.of(System.getProperty("repo.root")).toAbsolutePath().normalize();
  static final int README_MAX_LINES = 200;

  @TempDir Path work;

  @Test
  void everyRelativeLinkAndAnchorResolves() {
    List<Path> markdown = markdownFiles();

    assertThat(markdown).contains(ROOT.resolve("README.md"), ROOT.resolve("docs/README.md"));
    assertThat(MarkdownLinks.broken(ROOT, markdown)).as("broken links in %s", markdown).isEmpty();
  }

  @Test
  void theReadmeFitsTwoHundredLines() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));

    assertThat(lines.size()).as("README.md has %d lines; move detail into docs/ and link it", lines.size())
        .isLessThanOrEqualTo(README_MAX_LINES);
  }

  @Test
  void aMissingFileAMissingHeadingAndALinkInCodeAreToldApart() throws IOException {
    Files.createDirectories(work.resolve("docs"));
    Files.writeString(work.resolve("docs/setup.md"), """
        # Setup
        ## Setting up `AWS` (once per account)
        ## Setting up CircleCI
        ## Setting up CircleCI
        """);
    Files.writeString(work.resolve("README.md"), """
        See [setup](docs/setup.md#setting-up-aws-once-per-account), [again](docs/setup.md#setting-up-circleci-1),
        [the folder](docs/) and [the web](https://example.com/nowhere.md).
        A [gone file](docs/design.md) and [a gone heading](docs/setup.md#setting-up-gcp), [here too](#nothing).
        `[in code](docs/none.md)`
        ```
        [in a fence](docs/none.md)
        ```
        """);

    List<String> broken = MarkdownLinks.broken(work, List.of(work.resolve("README.md")));

    assertThat(broken).hasSize(3);
    assertThat(broken.get(0)).startsWith("README.md:3: docs/design.md → no such file");
    assertThat(broken.get(1)).startsWith("README.md:3: docs/setup.md#setting-up-gcp → no heading #setting-up-gcp");
    assertThat(broken.get(2)).startsWith("README.md:3: #nothing → no heading #nothing in README.md");
  }

  @Test
  void headingsGetGitHubsAnchors() {
    assertThat(MarkdownLinks.slug("`./mvnw verify`, cold and warm")).isEqualTo("mvnw-verify-cold-and-warm");
    assertThat(MarkdownLinks.slug("Where a start's time goes")).isEqualTo("where-a-starts-time-goes");
    assertThat(MarkdownLinks.slug("The AOT cache (JDK 25, JEP 483/514/515)"))
        .isEqualTo("the-aot-cache-jdk-25-jep-483514515");
    assertThat(MarkdownLinks.slug("The host: rollouts, start, crash recovery, a flood under 512 MiB"))
        .isEqualTo("the-host-rollouts-start-crash-recovery-a-flood-under-512-mib");
    assertThat(MarkdownLinks.slug("*Emphasis* and snake_case")).isEqualTo("emphasis-and-snake_case");
  }

  /** Every Markdown file of the repository outside build output, version control and sources. */
  private static List<Path> markdownFiles() {
    return RepositoryFiles.under(ROOT, Set.of("src")).stream()
        .filter(p -> p.getFileName().toString().endsWith(".md"))
        .toList();
  }
}
