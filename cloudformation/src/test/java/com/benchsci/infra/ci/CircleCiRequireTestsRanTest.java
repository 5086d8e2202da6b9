package com.benchsci.infra.ci;

import static com.benchsci.infra.ci.CircleCiConfigSchemaTest.REPO;
import static com.benchsci.infra.ci.CircleCiReviewCommentTest.runScript;
import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.infra.ci.CircleCiReviewCommentTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * .circleci/require-tests-ran.sh fails a CI job whose must-run test skipped itself or never ran, reading the
 * counters of Surefire's own report format.
 */
@Tag("emulator")
class CircleCiRequireTestsRanTest {

  private static final Path SCRIPT = REPO.resolve(".circleci/require-tests-ran.sh");

  @TempDir Path reports;

  private void report(String testClass, int tests, int skipped) throws Exception {
    Files.writeString(reports.resolve("TEST-com.benchsci.infra." + testClass + ".xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
        xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report.xsd" \
        version="3.0.2" name="com.benchsci.infra.%s" time="1.5" tests="%d" errors="0" skipped="%d" failures="0">
          <testcase name="boots" classname="com.benchsci.infra.%s" time="1.5"/>
        </testsuite>
        """.formatted(testClass, tests, skipped, testClass));
  }

  private Result check(String glob) throws Exception {
    return runScript(SCRIPT, Map.of(), reports.toString(), glob);
  }

  @Test
  void passesWhenTheTestsRanAndNoneSkipped() throws Exception {
    report("HostBootTest", 6, 0);
    Result result = check("HostBoot*Test");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("6 tests ran, none skipped");
  }

  @Test
  void failsWhenTheTestSkippedItself() throws Exception {
    report("HostBootTest", 6, 6);
    Result result = check("HostBoot*Test");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("tests=6 skipped=6", "must run here");
  }

  @Test
  void failsWhenTheTestNeverRan() throws Exception {
    report("SystemdUnitTest", 5, 0);
    Result result = check("HostBoot*Test");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("no Surefire report for HostBoot*Test");
  }
}
