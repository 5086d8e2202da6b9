package com.benchsci.infra.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.deployer.template.Template;
import com.benchsci.hostharness.ArtifactSource;
import com.benchsci.hostharness.CfnInitApplier;
import com.benchsci.hostharness.HostTemplate;
import com.benchsci.hostharness.Intrinsics;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The host tests only prove what the harness's cfn-init applier really does, so the applier must accept stack.yaml's
 * own metadata and refuse any cfn-init feature it does not implement. Runs anywhere (no container).
 */
class HostBootRefusalTest {

  private static final Path STACK = Path.of(System.getProperty("repo.root", ".."), "cloudformation", "stack.yaml");
  private static final Path JAR = Path.of("vertx-app.jar");

  @Test
  void acceptsTheTemplatesOwnMetadataAndFindsTheHealthCheck() {
    HostTemplate host = HostTemplate.read(STACK);

    CfnInitApplier.of(host, ArtifactSource.file(JAR));

    assertThat(host.healthCheck()).as("the UserData's check between cfn-init and cfn-signal")
        .contains("http://127.0.0.1/", "Hello World from BenchSci!")
        .doesNotContain("/opt/aws/bin/cfn-init", "/opt/aws/bin/cfn-signal")
        .startsWith("true").contains("\nexit ");
  }

  static Stream<Arguments> unimplementedFeatures() {
    return Stream.of(
        refused("configSets", init -> init.put("configSets", Map.of("default", List.of("config")))),
        refused("users", init -> config(init).put("users", Map.of("hello", Map.of("homeDir", "/opt/hello")))),
        refused("sources", init -> config(init).put("sources", Map.of("/opt/x", "https://example.com/x.tgz"))),
        refused("encoding", init -> file(init).put("encoding", "base64")),
        refused("only an S3 object URL", init -> {
          Map<String, Object> file = file(init);
          file.remove("content");
          file.put("source", "https://example.com/other.jar");
        }),
        refused("no authentication that names or lists it", init -> {
          Map<String, Object> jar = section(section(config(init), "files"), "/opt/hello/vertx-app.jar");
          jar.remove("authentication");
          jar.put("source", "https://another-bucket.s3.us-east-1.amazonaws.com/app.jar");
        }),
        refused("cwd", init -> command(init).put("cwd", "/tmp")),
        refused("nginx", init -> section(section(config(init), "packages"), "yum").put("nginx", List.of())),
        refused("apt", init -> section(config(init), "packages").put("apt", Map.of("openssl", List.of()))),
        refused("sysvinit", init -> section(config(init), "services").put("sysvinit", Map.of())),
        refused("does not write", init -> section(section(section(config(init), "services"), "systemd"), "cfn-hup")
            .put("files", List.of("/etc/not-written.conf"))),
        refused("Fn::ImportValue", init -> file(init).put("content", Map.of("Fn::ImportValue", "an-export"))));
  }

  @ParameterizedTest(name = "refuses {0}")
  @MethodSource("unimplementedFeatures")
  void refusesWhatItDoesNotImplement(String feature, Consumer<Map<String, Object>> change) {
    Map<String, Object> parsed = Template.load(STACK).tree();
    String id = HostTemplate.from(parsed, "stack.yaml", Intrinsics.stub(parsed)).resource();
    change.accept(section(section(section(section(parsed, "Resources"), id), "Metadata"), "AWS::CloudFormation::Init"));

    assertThatThrownBy(() -> {
      HostTemplate host = HostTemplate.from(parsed, "stack.yaml", Intrinsics.stub(parsed));
      CfnInitApplier.of(host, ArtifactSource.file(JAR));
    }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(feature);
  }

  private static Arguments refused(String feature, Consumer<Map<String, Object>> change) {
    return Arguments.of(feature, change);
  }

  private static Map<String, Object> config(Map<String, Object> init) {
    return section(init, "config");
  }

  /** The first file of the config that has content. */
  private static Map<String, Object> file(Map<String, Object> init) {
    return section(config(init), "files").values().stream().map(HostBootRefusalTest::asMap)
        .filter(f -> f.containsKey("content")).findFirst().orElseThrow();
  }

  private static Map<String, Object> command(Map<String, Object> init) {
    return asMap(section(config(init), "commands").values().iterator().next());
  }

  private static Map<String, Object> section(Map<String, Object> parent, String key) {
    return asMap(parent.get(key));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return (Map<String, Object>) value;
  }
}
