package com.benchsci.hostharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The applier on this machine ({@link LocalShell}), into a scratch folder: what it writes and runs, and refuses. */
@Tag("emulator")
class CfnInitApplierTest {

  private static final String SOURCE = "https://artifacts-1.s3.us-east-1.amazonaws.com/app/v1.jar";
  private static final Map<String, Object> AUTHENTICATION = Map.of("ArtifactAccess",
      Map.of("type", "S3", "roleName", "InstanceRole", "buckets", List.of("artifacts-1")));

  /** The files belong to whoever runs the test: chown to another user needs root, which a CI container lacks. */
  private static final String USER = System.getProperty("user.name");
  private static final String GROUP = Cmd.run(Duration.ofSeconds(10), List.of("id", "-gn")).out().strip();

  @TempDir
  Path dir;
  private Path artifact;

  @BeforeEach
  void artifact() throws IOException {
    artifact = Files.writeString(dir.resolve("artifact.bin"), "the object in the bucket");
  }

  @Test
  void writesFilesAndRunsCommandsInNameOrderSkippingThoseWhoseTestFails() throws IOException {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("files", Map.of(
        dir + "/etc/app.conf", Map.of("content", "a=1\n", "mode", "000640", "owner", USER, "group", GROUP),
        dir + "/opt/app.jar", Map.of("source", SOURCE, "authentication", "ArtifactAccess", "mode", "000644",
            "owner", USER, "group", GROUP)));
    config.put("commands", Map.of(
        "01-second", Map.of("command", "echo second >> " + dir + "/order"),
        "00-first", Map.of("command", "echo first >> " + dir + "/order"),
        "02-skipped", Map.of("command", "echo skipped >> " + dir + "/order", "test", "false")));

    applier(config).applyTo(new LocalShell());

    assertThat(dir.resolve("etc/app.conf")).hasContent("a=1");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("etc/app.conf"))))
        .isEqualTo("rw-r-----");
    assertThat(dir.resolve("opt/app.jar")).hasSameBinaryContentAs(artifact);
    assertThat(Files.readAllLines(dir.resolve("order"))).containsExactly("first", "second");
  }

  @Test
  void aFailingCommandFailsTheRunNamingItAndStopsThere() {
    Map<String, Object> config = Map.of("commands", Map.of(
        "00-fails", Map.of("command", "echo broken >&2; exit 7"),
        "01-after", Map.of("command", "touch " + dir + "/after")));

    assertThatThrownBy(() -> applier(config).applyTo(new LocalShell()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cfn-init commands.00-fails failed").hasMessageContaining("exit 7")
        .hasMessageContaining("broken");
    assertThat(dir.resolve("after")).doesNotExist();
  }

  @Test
  void refusesAKeyItDoesNotImplementBeforeWritingAnything() {
    Map<String, Object> config = Map.of(
        "files", Map.of(dir + "/written", Map.of("content", "x")),
        "users", Map.of("app", Map.of()));

    assertThatThrownBy(() -> applier(config)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Web.Metadata.AWS::CloudFormation::Init.config.users: refused the key users");
    assertThat(dir.resolve("written")).doesNotExist();
  }

  @Test
  void aSourceIsSignedByTheAuthenticationItNamesOrByTheOneListingItsBucketElseRefused() {
    Map<String, Object> named = Map.of("files", Map.of(dir + "/app.jar", Map.of(
        "source", "https://other-bucket.s3.us-east-1.amazonaws.com/app.jar", "authentication", "ArtifactAccess")));
    Map<String, Object> listed = Map.of("files", Map.of(dir + "/app.jar", Map.of("source", SOURCE)));
    Map<String, Object> unsigned = Map.of("files", Map.of(dir + "/app.jar", Map.of(
        "source", "https://other-bucket.s3.us-east-1.amazonaws.com/app.jar")));
    Map<String, Object> undefined = Map.of("files", Map.of(dir + "/app.jar", Map.of(
        "source", SOURCE, "authentication", "Typo")));
    Map<String, Object> notS3 = Map.of("files", Map.of(dir + "/app.jar", Map.of(
        "source", "https://example.com/app.jar", "authentication", "ArtifactAccess")));

    applier(named);
    applier(listed);
    assertThatThrownBy(() -> applier(unsigned)).hasMessageContaining("a source in bucket other-bucket with no"
        + " authentication that names or lists it");
    assertThatThrownBy(() -> applier(undefined)).hasMessageContaining("refused authentication Typo, which");
    assertThatThrownBy(() -> applier(notS3)).hasMessageContaining("only an S3 object URL");
  }

  @Test
  void refusesServiceSettingsThatAreNotBooleansAndFilesItDoesNotWrite() {
    Map<String, Object> notBoolean = Map.of("services", Map.of("systemd", Map.of("app",
        Map.of("enabled", "yes"))));
    Map<String, Object> unwritten = Map.of("services", Map.of("systemd", Map.of("app",
        Map.of("files", List.of("/etc/not-written")))));

    assertThatThrownBy(() -> applier(notBoolean)).hasMessageContaining("app.enabled: refused a value that is not");
    assertThatThrownBy(() -> applier(unwritten)).hasMessageContaining("/etc/not-written, which this config's files");
  }

  @Test
  void s3LocationsAreReadFromBothUrlStyles() {
    assertThat(ArtifactSource.S3Location.parse(SOURCE))
        .isEqualTo(new ArtifactSource.S3Location(SOURCE, "artifacts-1", "app/v1.jar", "us-east-1"));
    assertThat(ArtifactSource.S3Location.parse("https://s3.eu-west-1.amazonaws.com/b.with.dots/k/x.jar"))
        .extracting("bucket", "key", "region").containsExactly("b.with.dots", "k/x.jar", "eu-west-1");
    assertThat(ArtifactSource.S3Location.parse("https://legacy-bucket.s3.amazonaws.com/x.jar").region()).isEqualTo("us-east-1");
    assertThat(ArtifactSource.S3Location.parse("https://example.com/x.jar")).isNull();
  }

  private CfnInitApplier applier(Map<String, Object> config) {
    return new CfnInitApplier("Web", Map.of("config", config), AUTHENTICATION, ArtifactSource.file(artifact));
  }
}
