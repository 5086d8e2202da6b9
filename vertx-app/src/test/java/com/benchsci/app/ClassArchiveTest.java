package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app process of these tests maps the class archive: its own classes and its libraries' come from the archive's
 * top layer (the dynamic one), not from the jars. Were the archive refused (jars changed, flags it cannot take), the
 * JVM would load from the jars without a word, and the tests would only get slower.
 */
@Tag("emulator")
class ClassArchiveTest {
  @RegisterExtension final AppProcesses processes = new AppProcesses();

  @Test
  void anAppProcessLoadsItsClassesFromTheArchive(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("classes.log");
    Process app = processes.start(JavaCommand.process(
        JavaCommand.of(List.of("-Xlog:class+load=info:file=" + log), Main.class), Map.of("HTTP_PORT", "0")));
    assertThat(new ProcessLines(app.getInputStream()).next()).startsWith("listening on http port ");
    app.toHandle().destroy();
    assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(Files.readString(log)).as("the class-load log of an app process")
        .contains("com.benchsci.app.Main source: shared objects file (top)")
        .contains("io.vertx.core.Vertx source: shared objects file (top)");
  }
}
