package com.benchsci.hostharness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("emulator")
class CmdTest {

  @Test
  void aCommandOverItsTimeLimitIsKilledAndSaysSo() {
    long started = System.nanoTime();

    Cmd.Result result = Cmd.run(Duration.ofSeconds(1), List.of("sleep", "30"));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    assertThat(result.ok()).isFalse();
    assertThat(result.exit()).isEqualTo(-1);
    assertThat(result.describe()).contains("sleep 30 -> exit -1", "killed: no answer within 1s");
  }

  @Test
  void aChattyCommandNeverBlocksOnItsOutput() {
    // Four MiB on each stream: far more than a pipe holds, so a runner reading only after the exit would hang.
    Cmd.Result result = Cmd.run(Duration.ofSeconds(30), List.of("sh", "-c",
        "head -c 4194304 /dev/zero | tr '\\0' a; head -c 4194304 /dev/zero | tr '\\0' b >&2; exit 3"));

    assertThat(result.exit()).isEqualTo(3);
    assertThat(result.out()).hasSize(4 << 20);
    assertThat(result.err()).hasSize(4 << 20);
  }

  @Test
  void aFileIsTheCommandsInput(@TempDir Path dir) throws Exception {
    Path input = Files.writeString(dir.resolve("in.txt"), "one\ntwo\n");

    Cmd.Result result = Cmd.run(Duration.ofSeconds(30), input, List.of("wc", "-l"));

    assertThat(result.ok()).isTrue();
    assertThat(result.out().strip()).isEqualTo("2");
  }
}
