package com.benchsci.infra.ci;

import static com.benchsci.infra.ci.CircleCiConfigSchemaTest.REPO;
import static com.benchsci.infra.ci.CircleCiConfigSchemaTest.continuationConfig;
import static com.benchsci.infra.ci.CircleCiConfigSchemaTest.setupConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.infra.repo.RepositoryFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The CircleCI configs reference only things that exist: jobs, commands, executors and orbs they declare,
 * parameters they declare, scripts in the repository that are executable, Maven profiles, modules, test
 * classes, hello-host goals and their -Dcfn.* properties of this build, and orbs and images pinned to exact
 * versions. The path-filtering mapping sets only pipeline parameters that continue.yml declares, and a parameter a
 * trigger can set is declared alike in both configs (what each trigger then runs: CircleCiTriggersTest). Each check is
 * also shown to fail on the project's own config broken in one place.
 */
class CircleCiConfigReferencesTest {

  private static final Set<String> BUILT_IN_STEPS = Set.of("checkout", "run", "save_cache", "restore_cache",
      "store_artifacts", "store_test_results", "persist_to_workspace", "attach_workspace", "add_ssh_keys",
      "setup_remote_docker", "when", "unless");
  /** Keys of a workflow's job entry that CircleCI itself reads; any other key is a job parameter. */
  private static final Set<String> WORKFLOW_JOB_KEYS = Set.of("requires", "context", "filters", "name", "matrix",
      "type", "pre-steps", "post-steps", "serial-group", "override-with");
  private static final Pattern PARAMETER_REF = Pattern.compile("<<\\s*parameters\\.([\\w-]+)\\s*>>");
  private static final Pattern PIPELINE_PARAMETER_REF = Pattern.compile("<<\\s*pipeline\\.parameters\\.([\\w-]+)\\s*>>");
  private static final Pattern MAVEN_CALL = Pattern.compile("\\./mvnw((?:[ \\t]+[^\\s;&|]+)*)");
  /** A path that a command runs from the repository: ./anything, or a file under .circleci/. */
  private static final Pattern RUN_PATH = Pattern.compile("(?<![\\w./*-])(\\./[\\w.][\\w./-]*|\\.circleci/[\\w./-]+)");
  /** The command word of a shell command (line start or after ;, &&, ||, |) when it is a relative path. */
  private static final Pattern COMMAND_WORD = Pattern.compile("(?m)(?:^|[;&|])\\s*([\\w.-]+/[\\w./-]+)");
  private static final Pattern PINNED_ORB = Pattern.compile("[\\w-]+/[\\w-]+@\\d+\\.\\d+\\.\\d+");
  private static final Pattern PINNED_IMAGE = Pattern.compile("[\\w./-]+:\\d[\\w.-]*");

  // ---------------------------------------------------------------------------------------------- the checks

  /** Everything one config gets wrong, each naming the file and the place. */
  static List<String> problems(String file, JsonNode config) {
    List<String> problems = new ArrayList<>();
    Set<String> orbs = names(config.path("orbs"));
    Set<String> pipelineParameters = names(config.path("parameters"));

    config.path("orbs").fields().forEachRemaining(orb -> {
      if (!PINNED_ORB.matcher(orb.getValue().asText()).matches()) {
        problems.add(file + ": orb " + orb.getKey() + " is not pinned to an exact version: " + orb.getValue().asText());
      }
    });
    for (JsonNode image : config.findValues("image")) {
      if (!PINNED_IMAGE.matcher(image.asText()).matches()) {
        problems.add(file + ": image " + image.asText() + " is not pinned to a version tag");
      }
    }
    for (String used : matches(PIPELINE_PARAMETER_REF, config)) {
      if (!pipelineParameters.contains(used)) {
        problems.add(file + ": pipeline.parameters." + used + " is used but not declared in parameters");
      }
    }

    config.path("workflows").fields().forEachRemaining(workflow -> {
      String where = file + ": workflow " + workflow.getKey();
      Set<String> names = new HashSet<>();
      List<Map.Entry<String, JsonNode>> entries = entries(workflow.getValue().path("jobs"));
      for (Map.Entry<String, JsonNode> entry : entries) {
        names.add(entry.getValue().path("name").asText(entry.getKey()));
      }
      for (Map.Entry<String, JsonNode> entry : entries) {
        String job = entry.getKey();
        String executor = entry.getValue().path("executor").asText("");
        if (!executor.isEmpty() && !executor.contains("/") && !config.path("executors").has(executor)) {
          problems.add(where + ": job " + job + " runs on executor " + executor + ", which is not defined");
        }
        if (job.contains("/")) {
          requireOrb(problems, where, job, orbs);
        } else if (entry.getValue().path("type").asText().equals("approval")) {
          // An approval job is defined by its entry alone: CircleCI holds the workflow there until approved.
        } else if (!config.path("jobs").has(job)) {
          problems.add(where + " runs job " + job + ", which is not defined under jobs");
        } else {
          checkArguments(problems, where + ", job " + job, config.path("jobs").path(job).path("parameters"),
              entry.getValue(), WORKFLOW_JOB_KEYS);
        }
        for (JsonNode required : entry.getValue().path("requires")) {
          // "- test", or with the status it waits for: "- deploy: failed".
          String name = required.isObject() ? required.fieldNames().next() : required.asText();
          if (!names.contains(name)) {
            problems.add(where + ": job " + job + " requires " + name + ", which this workflow does not run");
          }
        }
      }
    });

    config.path("jobs").fields().forEachRemaining(job -> {
      String where = file + ": job " + job.getKey();
      JsonNode executor = job.getValue().path("executor");
      String executorName = executor.isObject() ? executor.path("name").asText() : executor.asText();
      if (!executorName.isEmpty()) {
        if (executorName.contains("/")) {
          requireOrb(problems, where, executorName, orbs);
        } else if (!config.path("executors").has(executorName)) {
          problems.add(where + " uses executor " + executorName + ", which is not defined under executors");
        }
      }
      checkSteps(problems, where, job.getValue().path("steps"), config, orbs);
      checkParameterRefs(problems, where, job.getValue());
    });
    config.path("commands").fields().forEachRemaining(command -> {
      String where = file + ": command " + command.getKey();
      checkSteps(problems, where, command.getValue().path("steps"), config, orbs);
      checkParameterRefs(problems, where, command.getValue());
    });
    return problems;
  }

  private static void checkSteps(List<String> problems, String where, JsonNode steps, JsonNode config, Set<String> orbs) {
    for (Map.Entry<String, JsonNode> step : entries(steps)) {
      String name = step.getKey();
      JsonNode arguments = step.getValue();
      if (name.equals("when") || name.equals("unless")) {
        checkSteps(problems, where, arguments.path("steps"), config, orbs);
      } else if (name.equals("run")) {
        checkRun(problems, where, arguments.isTextual() ? arguments.asText() : arguments.path("command").asText());
      } else if (BUILT_IN_STEPS.contains(name)) {
        continue;
      } else if (name.contains("/")) {
        requireOrb(problems, where, name, orbs);
      } else if (!config.path("commands").has(name)) {
        problems.add(where + " uses step " + name + ", which is neither built in nor defined under commands");
      } else {
        checkArguments(problems, where + ", step " + name, config.path("commands").path(name).path("parameters"),
            arguments, Set.of());
      }
    }
  }

  /**
   * Maven profiles, modules, test patterns, hello-host goals and their -Dcfn.* properties of ./mvnw calls, and
   * scripts a command runs.
   */
  private static void checkRun(List<String> problems, String where, String command) {
    String oneLine = command.replace("\\\n", " ");
    Matcher maven = MAVEN_CALL.matcher(oneLine);
    while (maven.find()) {
      List<String> args = Arrays.stream(maven.group(1).trim().split("\\s+")).map(a -> a.replaceAll("['\"]", "")).toList();
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        String next = i + 1 < args.size() ? args.get(i + 1) : "";
        if (arg.startsWith("-P")) {
          for (String profile : (arg.equals("-P") ? next : arg.substring(2)).split(",")) {
            if (!mavenProfiles().contains(profile.replaceFirst("^[!?]", ""))) {
              problems.add(where + ": ./mvnw uses profile " + profile + ", which no pom.xml declares");
            }
          }
        } else if (arg.equals("-pl") || arg.equals("--projects")) {
          for (String module : next.split(",")) {
            if (!Files.isRegularFile(REPO.resolve(module.replaceFirst("^[!?:]+", "")).resolve("pom.xml"))) {
              problems.add(where + ": ./mvnw -pl names module " + module + ", which has no pom.xml");
            }
          }
        } else if (arg.startsWith("-Dcfn.")) {
          // A misspelt property is silently ignored by Maven: -Dcfn.exeucte=false would deploy instead of review.
          String property = arg.substring(2).replaceFirst("=.*", "");
          if (!pluginSource("property = \"([\\w.]+)\"").contains(property)) {
            problems.add(where + ": ./mvnw sets " + property + ", which no hello-host goal reads");
          }
        } else if (arg.startsWith("hello-host:")) {
          if (!pluginSource("@Mojo\\(name = \"([\\w-]+)\"").contains(arg.substring("hello-host:".length()))) {
            problems.add(where + ": ./mvnw runs " + arg + ", which hello-host-maven-plugin has no goal for");
          }
        } else if (arg.startsWith("-Dtest=")) {
          // An exclusion that matches nothing has gone stale: the tests it meant to skip now run.
          for (String pattern : arg.substring("-Dtest=".length()).split(",")) {
            if (!testClassExists(pattern.replaceFirst("^!", ""))) {
              problems.add(where + ": -Dtest pattern " + pattern + " matches no test class");
            }
          }
        }
      }
    }
    Set<String> run = new TreeSet<>();
    Matcher path = RUN_PATH.matcher(oneLine);
    while (path.find()) {
      run.add(path.group(1));
    }
    Matcher commandWord = COMMAND_WORD.matcher(oneLine);
    while (commandWord.find()) {
      run.add(commandWord.group(1));
    }
    for (String script : run) {
      Path file = REPO.resolve(script).normalize();
      if (!Files.isRegularFile(file)) {
        problems.add(where + ": runs " + script + ", which does not exist in the repository");
      } else if (!Files.isExecutable(file)) {
        problems.add(where + ": runs " + script + ", which is not executable");
      }
    }
  }

  /** Arguments given to a job or command: each one declared, each declared one without default given. */
  private static void checkArguments(List<String> problems, String where, JsonNode declared, JsonNode given,
      Set<String> ignored) {
    given.fieldNames().forEachRemaining(argument -> {
      if (!ignored.contains(argument) && !declared.has(argument)) {
        problems.add(where + ": argument " + argument + " is not a declared parameter");
      }
    });
    declared.fields().forEachRemaining(parameter -> {
      if (!parameter.getValue().has("default") && !given.has(parameter.getKey())) {
        problems.add(where + ": parameter " + parameter.getKey() + " has no default and is not given");
      }
    });
  }

  private static void checkParameterRefs(List<String> problems, String where, JsonNode definition) {
    for (String used : matches(PARAMETER_REF, definition)) {
      if (!definition.path("parameters").has(used)) {
        problems.add(where + ": << parameters." + used + " >> is not a declared parameter");
      }
    }
  }

  private static void requireOrb(List<String> problems, String where, String reference, Set<String> orbs) {
    String alias = reference.substring(0, reference.indexOf('/'));
    if (!orbs.contains(alias)) {
      problems.add(where + " uses " + reference + " but orb " + alias + " is not declared under orbs");
    }
  }

  /**
   * The pipeline parameters of both configs: a parameter a trigger can set (declared in config.yml) reaches
   * continue.yml without being passed, so continue.yml declares it alike; path filtering sets only parameters that
   * continue.yml declares, booleans where it sets true or false.
   */
  static List<String> pipelineParameterProblems(JsonNode setup, JsonNode continuation) {
    List<String> problems = new ArrayList<>();
    setup.path("parameters").fields().forEachRemaining(p -> {
      if (!p.getValue().equals(continuation.path("parameters").path(p.getKey()))) {
        problems.add("pipeline parameter " + p.getKey() + " of config.yml is not declared alike in continue.yml");
      }
    });
    JsonNode filter = CircleCiPipeline.pathFilter(setup);
    if (filter == null) {
      problems.add("config.yml runs no path-filtering/filter job");
      return problems;
    }
    if (!Files.isRegularFile(REPO.resolve(filter.path("config-path").asText()))) {
      problems.add("path-filtering config-path " + filter.path("config-path").asText() + " does not exist");
    }
    for (CircleCiPipeline.MappingLine line : CircleCiPipeline.mapping(filter)) {
      JsonNode declared = continuation.path("parameters").path(line.parameter());
      if (declared.isMissingNode()) {
        problems.add("mapping sets " + line.parameter() + ", which continue.yml does not declare");
      } else if (line.value().matches("true|false") && !declared.path("type").asText().equals("boolean")) {
        problems.add("mapping sets " + line.parameter() + " to " + line.value() + " but it is not a boolean");
      }
    }
    return problems;
  }

  // --------------------------------------------------------------------------------------- the real configs

  @Test
  void theSetupConfigReferencesOnlyWhatExists() {
    assertThat(problems(".circleci/config.yml", setupConfig())).isEmpty();
  }

  @Test
  void theContinuationConfigReferencesOnlyWhatExists() {
    assertThat(problems(".circleci/continue.yml", continuationConfig())).isEmpty();
  }

  @Test
  void everyPathFilteringParameterIsDeclaredInTheContinuation() {
    assertThat(CircleCiPipeline.mapping(CircleCiPipeline.pathFilter(setupConfig())))
        .extracting(CircleCiPipeline.MappingLine::parameter).contains("run-app", "run-infra");
    assertThat(pipelineParameterProblems(setupConfig(), continuationConfig())).isEmpty();
  }

  // ------------------------------------------------------------------------------ the checks can fail

  static Stream<Arguments> brokenContinuations() {
    return Stream.of(
        broken("a workflow job that is not defined", "tset",
            c -> ((ArrayNode) c.path("workflows").path("build").path("jobs")).add("tset")),
        broken("a required job the workflow does not run", "requires hots-boot",
            c -> ((ArrayNode) workflowJob(c, "build", "deploy").path("requires")).add("hots-boot")),
        broken("an undefined step command", "prepare-biuld",
            c -> ((ArrayNode) c.path("jobs").path("deploy").path("steps")).set(0, TextNode.valueOf("prepare-biuld"))),
        broken("an orb command without its orb", "orb aws-cli is not declared",
            c -> ((ObjectNode) c).remove("orbs")),
        broken("an undefined executor", "executor jkd",
            c -> ((ObjectNode) c.path("jobs").path("test")).put("executor", "jkd")),
        broken("a Maven profile no pom declares", "profile prodd",
            c -> setRun(c, "deploy", 2, "./mvnw -B deploy -Pprodd -DskipTests")),
        broken("a Maven module that does not exist", "module vertx-ap",
            c -> setRun(c, "deploy", 2, "./mvnw -B verify -pl vertx-ap -am")),
        broken("a property that no hello-host goal reads", "cfn.exeucte",
            c -> setRun(c, "deploy", 2, "./mvnw -B deploy -Pprod -Dcfn.exeucte=false -DskipTests")),
        broken("a hello-host goal that does not exist", "hello-host:reveiw",
            c -> setRun(c, "deploy", 2, "./mvnw -B hello-host:reveiw -Pprod")),
        broken("a test pattern that matches no test class", "NoSuchThing*Test",
            c -> setRun(c, "deploy", 2, "./mvnw -B verify -Dtest='NoSuchThing*Test'")),
        broken("a test exclusion that matches no test class", "!com/benchsci/ap/**",
            c -> setRun(c, "deploy", 2, "./mvnw -B verify -Dtest='!com/benchsci/ap/**'")),
        broken("a script that does not exist", ".circleci/smoke-test.sh",
            c -> setRun(c, "deploy", 3, ".circleci/smoke-test.sh hello-host")),
        broken("a repository script run by a relative path that does not exist", "bench/no-such.sh",
            c -> setRun(c, "deploy", 3, "echo start && bench/no-such.sh")),
        broken("a repository file run that is not executable", "not executable",
            c -> setRun(c, "deploy", 3, ".circleci/continue.yml hello-host")),
        broken("an orb pinned to a major version only", "not pinned",
            c -> ((ObjectNode) c.path("orbs")).put("aws-cli", "circleci/aws-cli@5")),
        broken("an image on a moving tag", "not pinned",
            c -> ((ObjectNode) c.path("executors").path("jdk").path("docker").get(0)).put("image", "cimg/openjdk:current")),
        broken("a job argument the job does not declare", "argument app-test",
            c -> ((ObjectNode) workflowJob(c, "build", "test")).put("app-test", true)),
        broken("a job parameter without default left out", "parameter reason has no default",
            c -> ((ObjectNode) workflowJob(c, "docs-only", "checks-passed")).remove("reason")),
        broken("an undeclared job parameter in a step", "parameters.app_tests",
            c -> setRun(c, "test", 1, "echo << parameters.app_tests >>")),
        broken("an undeclared pipeline parameter", "pipeline.parameters.run-ap",
            c -> ((ObjectNode) workflowJob(c, "build", "test")).put("app-tests", "<< pipeline.parameters.run-ap >>")));
  }

  private static Arguments broken(String what, String expected, Consumer<JsonNode> breakIt) {
    return Arguments.of(what, expected, breakIt);
  }

  @ParameterizedTest(name = "reports {0}")
  @MethodSource("brokenContinuations")
  void aBrokenReferenceIsReported(String what, String expected, Consumer<JsonNode> breakIt) {
    JsonNode config = continuationConfig().deepCopy();
    breakIt.accept(config);
    assertThat(problems(".circleci/continue.yml", config)).as("problems for %s", what)
        .anySatisfy(problem -> assertThat(problem).contains(expected));
  }

  @Test
  void anOrbJobOnAnUndefinedExecutorIsReported() {
    JsonNode setup = setupConfig().deepCopy();
    ((ObjectNode) CircleCiPipeline.pathFilter(setup)).put("executor", "bsae");
    assertThat(problems(".circleci/config.yml", setup)).containsExactly(
        ".circleci/config.yml: workflow setup: job path-filtering/filter runs on executor bsae, which is not defined");
  }

  @Test
  void aMappingParameterMissingFromTheContinuationIsReported() {
    JsonNode continuation = continuationConfig().deepCopy();
    ((ObjectNode) continuation.path("parameters")).remove("run-infra");
    assertThat(pipelineParameterProblems(setupConfig(), continuation))
        .containsOnly("mapping sets run-infra, which continue.yml does not declare");
  }

  @Test
  void aTriggerParameterDeclaredOtherwiseInTheContinuationIsReported() {
    JsonNode continuation = continuationConfig().deepCopy();
    ((ObjectNode) continuation.path("parameters").path("schedule")).put("default", "daily-live-checks");
    assertThat(pipelineParameterProblems(setupConfig(), continuation))
        .containsExactly("pipeline parameter schedule of config.yml is not declared alike in continue.yml");
  }

  @Test
  void aMissingContinuationConfigIsReported() {
    JsonNode setup = setupConfig().deepCopy();
    ((ObjectNode) CircleCiPipeline.pathFilter(setup)).put("config-path", ".circleci/continue_config.yml");
    assertThat(pipelineParameterProblems(setup, continuationConfig()))
        .contains("path-filtering config-path .circleci/continue_config.yml does not exist");
  }

  // ------------------------------------------------------------------------------------------- helpers

  private static JsonNode workflowJob(JsonNode config, String workflow, String job) {
    for (JsonNode entry : config.path("workflows").path(workflow).path("jobs")) {
      if (entry.has(job)) {
        return entry.get(job);
      }
    }
    throw new IllegalArgumentException("workflow " + workflow + " has no job " + job);
  }

  private static void setRun(JsonNode config, String job, int step, String command) {
    ((ObjectNode) config.path("jobs").path(job).path("steps").get(step)).set("run",
        JsonNodeFactory.instance.objectNode().put("command", command));
  }

  /** A list of "name" or {name: arguments} entries (steps, workflow jobs) as name to arguments. */
  private static List<Map.Entry<String, JsonNode>> entries(JsonNode list) {
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    for (JsonNode item : list) {
      if (item.isTextual()) {
        entries.add(Map.entry(item.asText(), JsonNodeFactory.instance.objectNode()));
      } else {
        item.fields().forEachRemaining(entries::add);
      }
    }
    return entries;
  }

  private static Set<String> names(JsonNode map) {
    Set<String> names = new TreeSet<>();
    map.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Set<String> matches(Pattern pattern, JsonNode node) {
    Set<String> found = new TreeSet<>();
    Matcher matcher = pattern.matcher(node.toString());
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }

  private static Set<String> mavenProfiles() {
    Set<String> profiles = new TreeSet<>();
    for (Path pom : repositoryFiles(p -> p.getFileName().toString().equals("pom.xml"))) {
      try {
        NodeList ids = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile())
            .getElementsByTagName("profile");
        for (int i = 0; i < ids.getLength(); i++) {
          profiles.add(((Element) ids.item(i)).getElementsByTagName("id").item(0).getTextContent().trim());
        }
      } catch (Exception e) {
        throw new IllegalStateException("cannot read " + pom, e);
      }
    }
    return profiles;
  }

  /** What {@code pattern}'s group 1 finds in the sources of hello-host-maven-plugin (goal names, properties). */
  private static Set<String> pluginSource(String pattern) {
    Set<String> found = new TreeSet<>();
    for (Path source : repositoryFiles(p -> p.startsWith(REPO.resolve("hello-host-maven-plugin/src/main/java")))) {
      try {
        Matcher matcher = Pattern.compile(pattern).matcher(Files.readString(source));
        while (matcher.find()) {
          found.add(matcher.group(1));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + source, e);
      }
    }
    return found;
  }

  /** Surefire's -Dtest pattern: a class name glob, or a path glob when it has a '/'; '#method' ignored. */
  private static boolean testClassExists(String pattern) {
    String glob = pattern.replaceFirst("#.*", "");
    Pattern regex = Pattern.compile(glob.replace(".", "\\.").replace("**", "\u0000").replace("*", "[^/]*")
        .replace("\u0000", ".*").replace("?", "."));
    return !repositoryFiles(p -> p.toString().contains("/src/test/java/") && p.toString().endsWith(".java")).stream()
        .filter(p -> {
          String path = p.toString().replaceFirst(".*/src/test/java/", "").replaceFirst("\\.java$", "");
          return regex.matcher(glob.contains("/") ? path : path.substring(path.lastIndexOf('/') + 1)).matches();
        })
        .toList().isEmpty();
  }

  private static List<Path> repositoryFiles(java.util.function.Predicate<Path> wanted) {
    return RepositoryFiles.under(REPO).stream().filter(wanted).toList();
  }
}
