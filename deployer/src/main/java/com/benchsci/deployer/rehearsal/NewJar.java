package com.benchsci.deployer.rehearsal;

import com.benchsci.deployer.core.DeployException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The "new version" the rehearsal rolls out: the app jar with one entry more ({@value #ENTRY}, naming the rehearsal),
 * so the same app in other bytes, hence another content address, ArtifactKey and stack metadata, which is what a
 * new build is to the stack and to cfn-hup.
 */
final class NewJar {

  static final String ENTRY = "META-INF/hello-host-rehearsal.properties";

  private NewJar() {}

  static Path derive(Path jar, Path dir, RehearsalId id) {
    Path copy = dir.resolve("vertx-app-" + id + ".jar");
    try {
      Files.createDirectories(dir);
      try (ZipFile in = new ZipFile(jar.toFile());
          ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
        // In the original order: a jar's manifest comes first.
        for (Enumeration<? extends ZipEntry> entries = in.entries(); entries.hasMoreElements(); ) {
          ZipEntry entry = entries.nextElement();
          out.putNextEntry(new ZipEntry(entry.getName()));
          try (InputStream content = in.getInputStream(entry)) {
            content.transferTo(out);
          }
          out.closeEntry();
        }
        out.putNextEntry(new ZipEntry(ENTRY));
        out.write(("rehearsal=" + id + "\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
      return copy;
    } catch (IOException e) {
      throw new DeployException("cannot make the rehearsal's second jar " + copy + " from " + jar + ": "
          + e.getMessage(), e);
    }
  }
}
