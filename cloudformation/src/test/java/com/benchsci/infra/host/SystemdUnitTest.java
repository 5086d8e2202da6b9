package com.benchsci.infra.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.infra.templates.TemplateNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hello@.service unit (the app's two rollout slots) exactly as cfn-init writes it on the host, checked by systemd's
 * own analyzer as the instance hello@a.service: no key systemd would ignore, and a sandbox with an exposure level of at
 * most 2.0.
 */
@Tag("emulator")
class SystemdUnitTest {

  private static final Path STACK = Path.of(System.getProperty("repo.root"), "cloudformation", "stack.yaml");
  private static final double MAX_EXPOSURE = 2.0;
  private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)");
  // systemd's wording for a line it drops: unknown keys and sections, values it cannot parse.
  private static final Pattern IGNORED = Pattern.compile("Unknown|ignoring|Failed to parse|Invalid|deprecated",
      Pattern.CASE_INSENSITIVE);

  @TempDir Path dir;

  @Test
  void unitHasNoKeySystemdWouldIgnore() throws IOException {
    Path unit = writeUnit(unitFromTemplate());

    List<String> complaints = ignoredLines(run("systemd-analyze", "verify", unit.toString()));

    assertThat(complaints).as("systemd-analyze verify on the unit from stack.yaml").isEmpty();
  }

  @Test
  void verifyCatchesAnUnknownKey() throws IOException {
    // The check above can fail: the same unit with a misspelt key is reported.
    Path unit = writeUnit(unitFromTemplate().replace("[Service]\n", "[Service]\nProtectSytem=strict\n"));

    assertThat(ignoredLines(run("systemd-analyze", "verify", unit.toString())))
        .anySatisfy(line -> assertThat(line).contains("ProtectSytem"));
  }

  @Test
  void sandboxExposureIsAtMostTwo() throws IOException {
    Path unit = writeUnit(unitFromTemplate());

    double exposure = exposure(unit);

    System.out.printf("hello@.service exposure level (systemd-analyze security --offline=true): %.1f%n", exposure);
    assertThat(exposure).isLessThanOrEqualTo(MAX_EXPOSURE);
  }

  @Test
  void unsandboxedUnitScoresAboveTheLimit() throws IOException {
    Path unit = writeUnit("[Service]\nExecStart=/usr/bin/java -jar /opt/hello/vertx-app.jar\n");

    assertThat(exposure(unit)).isGreaterThan(MAX_EXPOSURE);
  }

  @Test
  void unitRunsItsSlotsJarAsHelloWithOnlyTheBindCapability() {
    String unit = unitFromTemplate();

    assertThat(unit.lines()).contains(
        "Type=notify",
        "User=hello",
        "AmbientCapabilities=CAP_NET_BIND_SERVICE",
        "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
        "Restart=always",
        "RestartSec=100ms",
        "LimitNOFILE=20000",
        "WantedBy=multi-user.target",
        "EnvironmentFile=/etc/hello/hello.env",
        "ExecStart=/usr/bin/java $JVM_FLAGS -XX:AOTCache=/var/lib/hello/%i/app.aot -jar /opt/hello/%i/vertx-app.jar");
    assertThat(unit.lines()).anyMatch(line -> line.startsWith("MemoryMax="));
    // The JIT writes executable memory: this protection would kill the JVM.
    assertThat(unit.lines()).noneMatch(line -> line.startsWith("MemoryDenyWriteExecute="));
  }

  @Test
  void jvmFlagsKeepC1OnlyAndLeaveClassSharingToTheAotCache() {
    String env = file("/etc/hello/hello.env");

    assertThat(env.lines()).contains("HTTP_PORT=80", "HTTPS_PORT=443", "TLS_CERT_FILE=/etc/hello/tls/cert.pem",
        "TLS_KEY_FILE=/etc/hello/tls/key.pem");
    assertThat(env.lines().filter(line -> line.startsWith("JVM_FLAGS=")).toList()).singleElement().asString()
        .contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-XX:+ExitOnOutOfMemoryError")
        // JDK 25 refuses -Xshare beside -XX:AOTCache; the unit and the training run add the AOT flags themselves.
        .doesNotContain("-Xshare", "AOTCache");
  }

  private static String unitFromTemplate() {
    return file("/etc/systemd/system/hello@.service");
  }

  private static String file(String path) {
    return TemplateNode.text(STACK, "Resources", "WebServer", "Metadata", "AWS::CloudFormation::Init", "config",
        "files", path, "content");
  }

  private Path writeUnit(String text) throws IOException {
    // systemd takes the unit's name from the file name; a template is analysed as one of its instances.
    return Files.writeString(dir.resolve("hello@a.service"), text);
  }

  private double exposure(Path unit) {
    String output = run("systemd-analyze", "security", "--offline=true", unit.toString());
    Matcher m = EXPOSURE.matcher(output);
    assertThat(m.find()).as("exposure level in:\n%s", output).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static List<String> ignoredLines(String output) {
    return output.lines().filter(line -> IGNORED.matcher(line).find()).toList();
  }

  /** Output (stdout and stderr) of a command; verify exits non-zero when the build machine lacks /usr/bin/java. */
  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      try (InputStream in = process.getInputStream()) {
        String output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
      }
    } catch (IOException e) {
      throw new IllegalStateException(command[0] + " is needed for this test (systemd 250 or later): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
