package com.benchsci.infra.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryFilesTest {

  @TempDir Path root;

  @Test
  void buildOutputVersionControlAndPackagesAreNeverEntered() throws IOException {
    for (String file : new String[] {"README.md", "docs/a.md", "bench/run.sh", "cloudformation/target/x/out.md",
        "target/y.md", ".git/HEAD", "node_modules/p/readme.md", "src/main/Notes.md"}) {
      Files.createDirectories(root.resolve(file).getParent());
      Files.writeString(root.resolve(file), "x");
    }

    assertThat(RepositoryFiles.under(root)).map(root::relativize).map(Path::toString)
        .containsExactly("README.md", "bench/run.sh", "docs/a.md", "src/main/Notes.md");
    assertThat(RepositoryFiles.under(root, Set.of("src"))).map(root::relativize).map(Path::toString)
        .containsExactly("README.md", "bench/run.sh", "docs/a.md");
  }
}
