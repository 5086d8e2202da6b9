package com.benchsci.deployer.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.deployer.core.DeployException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules bundle the Guard Hook reads: reproducible bytes, so unchanged rules never make a new version. */
class RulesBundleTest {

  @TempDir
  Path dir;

  @Test
  void sameRulesGiveTheSameBytesWhateverTheFileTimesAndOnlyTheRules() throws IOException {
    Path a = rules("a", "rule B { Resources exists }\n", "rule A { Resources exists }\n");
    Path b = rules("b", "rule B { Resources exists }\n", "rule A { Resources exists }\n");
    Files.setLastModifiedTime(b.resolve("a.guard"), FileTime.fromMillis(1_000_000_000_000L));
    Files.writeString(b.resolve("README.md"), "not a rule");

    RulesBundle first = RulesBundle.of(a);
    RulesBundle second = RulesBundle.of(b);

    assertThat(second.bytes()).isEqualTo(first.bytes());
    assertThat(first.key()).matches("guard-rules/[0-9a-f]{64}\\.zip");
    assertThat(second.key()).isEqualTo(first.key());
    assertThat(entries(first.bytes())).containsExactly("a.guard", "b.guard");
  }

  @Test
  void aChangedRuleChangesTheKey() throws IOException {
    Path a = rules("a", "rule A { Resources exists }\n", "rule B { Resources exists }\n");
    String before = RulesBundle.of(a).key();
    Files.writeString(a.resolve("b.guard"), "rule B { Resources !empty }\n");
    assertThat(RulesBundle.of(a).key()).isNotEqualTo(before);
  }

  @Test
  void noRulesIsAnErrorNamingTheFolder() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> RulesBundle.of(empty)).isInstanceOf(DeployException.class)
        .hasMessage("no .guard rules in " + empty + ": the Guard Hook would have nothing to enforce");
  }

  private Path rules(String name, String b, String a) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(name));
    Files.writeString(folder.resolve("b.guard"), b);
    Files.writeString(folder.resolve("a.guard"), a);
    return folder;
  }

  private static List<String> entries(byte[] zip) throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
