package com.benchsci.deployer.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.deployer.core.DeployException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A check tool that hangs, as a user meets it: a real program that prints a line and then never ends, holding its
 * standard output open, itself or through a child that inherited it. The limit must fire, the whole process tree
 * must go, and the error must be one line naming the tool and the limit. (Before the fix the output was read to its
 * end first, so the limit never fired: these tests then hung until their own timeout.)
 */
@Tag("emulator")
class ExternalCommandTest {

  /** How long a test may take at most: far above the tool's 1 s limit, far below the tool's 10 min sleep. */
  private static final int TEST_LIMIT_SECONDS = 60;

  @TempDir
  Path dir;

  private Path pids;

  /** Each way a tool can hang: the script sleeps itself, or its child holds stdout while the script waits. */
  private static String script(String how) {
    return switch (how) {
      case "sleeps" -> "#!/bin/sh\necho $$ >> \"$1\"\necho 'checking the template'\nsleep 600\n";
      case "child-holds-stdout" -> "#!/bin/sh\necho $$ >> \"$1\"\nsleep 600 &\necho $! >> \"$1\"\n"
          + "echo 'checking the template'\nwait\n";
      default -> throw new IllegalArgumentException(how);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"sleeps", "child-holds-stdout"})
  @Timeout(value = TEST_LIMIT_SECONDS, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aToolThatHangsIsStoppedAtTheLimitWithItsWholeProcessTree(String how) throws Exception {
    Path tool = executable("cfn-guard", script(how));
    pids = dir.resolve("pids");

    assertThatThrownBy(() -> ExternalCommand.run(List.of(tool.toString(), pids.toString()), Duration.ofSeconds(1)))
        .isInstanceOf(DeployException.class)
        .hasMessage("cfn-guard did not finish within 1 s: stopped it and its child processes (" + tool + " "
            + pids + ")");

    List<Long> started = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
    assertThat(started).hasSize(how.equals("sleeps") ? 1 : 2);
    for (long pid : started) {
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      if (process.isPresent()) {
        process.get().onExit().get(10, TimeUnit.SECONDS);
      }
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("process %d", pid).isNotEqualTo(
          Optional.of(true));
    }
  }

  @Test
  void aToolThatEndsGivesItsOutputsApartAndItsExitCode() throws IOException {
    Path tool = executable("cfn-lint", "#!/bin/sh\necho '[]'\necho 'a warning' >&2\nexit 2\n");

    ExternalCommand.Result result = ExternalCommand.run(List.of(tool.toString()), Duration.ofSeconds(30));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stdout()).isEqualTo("[]\n");
    assertThat(result.stderr()).isEqualTo("a warning\n");
  }

  @Test
  void aToolThatCannotStartIsOneLine() {
    Path missing = dir.resolve("cfn-lint");
    assertThatThrownBy(() -> ExternalCommand.run(List.of(missing.toString()), Duration.ofSeconds(30)))
        .hasMessageStartingWith("cannot run '" + missing + "': ").hasMessageNotContaining("\n");
  }

  /** Whatever a failed run left (the old code's hang): gone with its children, so no sleep outlives the test. */
  @AfterEach
  void stopWhatIsLeft() throws IOException {
    if (pids != null && Files.exists(pids)) {
      for (String pid : Files.readAllLines(pids)) {
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        });
      }
    }
  }

  private Path executable(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
