package com.benchsci.deployer.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.deploy.ArtifactStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The second version: the same jar, entry for entry, with one entry more, so another content address. */
class NewJarTest {

  @TempDir
  Path dir;

  @Test
  void sameEntriesInTheSameOrderPlusOneSoAnotherKey() throws IOException {
    Path jar = RehearsalMoto.appJar();
    RehearsalId id = new RehearsalId("hello-rh-0a1b2c3d");
    Path copy = NewJar.derive(jar, dir, id);

    assertThat(ArtifactStore.keyFor(copy)).isNotEqualTo(ArtifactStore.keyFor(jar));
    try (JarFile original = new JarFile(jar.toFile()); JarFile derived = new JarFile(copy.toFile())) {
      List<String> names = Collections.list(original.entries()).stream().map(ZipEntry::getName).toList();
      assertThat(Collections.list(derived.entries()).stream().map(ZipEntry::getName))
          .containsExactlyElementsOf(concat(names, NewJar.ENTRY));
      assertThat(derived.getManifest()).as("still a jar with its manifest").isEqualTo(original.getManifest());
      for (String name : names) {
        assertThat(derived.getInputStream(derived.getEntry(name)).readAllBytes())
            .isEqualTo(original.getInputStream(original.getEntry(name)).readAllBytes());
      }
      assertThat(new String(derived.getInputStream(derived.getEntry(NewJar.ENTRY)).readAllBytes(),
          StandardCharsets.UTF_8)).isEqualTo("rehearsal=hello-rh-0a1b2c3d\n");
    }
  }

  private static List<String> concat(List<String> names, String last) {
    List<String> all = new java.util.ArrayList<>(names);
    all.add(last);
    return all;
  }
}
