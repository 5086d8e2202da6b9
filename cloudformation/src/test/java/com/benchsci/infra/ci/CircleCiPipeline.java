package com.benchsci.infra.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * What CircleCI makes of this repository's setup config (config.yml) and continuation config (continue.yml) for one
 * trigger, step by step as its documents describe it. CircleCI itself cannot run here; every rule below names the
 * document it comes from, and {@code docs/aws-contract.md} lists them with the tests that rely on them.
 *
 * <ol>
 *   <li>A parameter the trigger sets must be declared in the setup config (Schedule triggers: "Any parameters set up in
 *       this manner must be added to your configuration file using the parameters key",
 *       https://circleci.com/docs/guides/orchestrate/schedule-triggers/), an enum's value one of its values
 *       (Configuration reference, enum parameter, https://circleci.com/docs/reference/reusing-config/).</li>
 *   <li>Exactly one setup workflow runs ("The setup configuration must only allow one workflow to run in each
 *       pipeline", Dynamic configuration overview, Config continuation constraints,
 *       https://circleci.com/docs/guides/orchestrate/dynamic-config/).</li>
 *   <li>Its continuation passes the parameters path filtering set for the changed files (circleci/path-filtering
 *       2.1.0, src/scripts/create-parameters.sh: on the base branch itself it compares with HEAD~1) or the
 *       {@code parameters} given to circleci/continuation (default {@code {}}).</li>
 *   <li>"The continue job/command will fail with the error {"message":"Conflicting pipeline parameters."} when all
 *       three of these conditions occur: 1. The same pipeline parameter is declared in both the setup and the
 *       continuation configurations. 2. The continue job/command attempts to pass this pipeline parameter via the
 *       parameters parameter. 3. The pipeline is triggered [...] with a parameter value that differs from the default
 *       value specified in the setup configuration." (Dynamic configuration overview, same address).</li>
 *   <li>"Any parameters passed in this way must be declared as pipeline parameters in the continuation
 *       configuration." (Pipeline values and parameters, Pipeline parameters and dynamic configuration,
 *       https://circleci.com/docs/guides/orchestrate/pipeline-variables/).</li>
 *   <li>The trigger's own parameters reach the continuation without being passed, so the continuation config must
 *       declare them too. CircleCI's documents imply it (rule 4 exists because they do) but do not say it; a public
 *       project reports it from the real service: "CircleCI forwards all API-triggered parameters to the continuation
 *       config. Without matching declarations, the continuation is rejected with "Unexpected argument(s)""
 *       (RevenueCat/purchases-ios, pull request 6607).</li>
 *   <li>The continuation's workflows run when their {@code when} holds; a job runs when its branch filter admits
 *       the pipeline's branch (Configuration reference, workflows, https://circleci.com/docs/reference/configuration-reference/).</li>
 * </ol>
 */
final class CircleCiPipeline {

  private static final Pattern PIPELINE_VALUE = Pattern.compile("<<\\s*pipeline\\.([\\w.-]+)\\s*>>");
  private static final ObjectMapper JSON = new ObjectMapper();

  private CircleCiPipeline() {}

  /**
   * What starts a pipeline: a push or a schedule on {@code branch}, the pipeline parameters it sets, the files path
   * filtering finds changed (on master: those of the last commit), and for a schedule of a GitHub OAuth project its
   * name ({@code pipeline.schedule.name}; empty for a push, and for every GitHub App pipeline, whose pipeline values
   * have no schedule name).
   */
  record Trigger(String branch, Map<String, String> parameters, List<String> changedFiles, String scheduleName) {

    static Trigger push(String branch, String... changedFiles) {
      return new Trigger(branch, Map.of(), List.of(changedFiles), "");
    }

    /** A schedule on master whose last commit changed {@code lastCommitFiles}. */
    static Trigger schedule(String name, Map<String, String> parameters, String... lastCommitFiles) {
      return new Trigger("master", parameters, List.of(lastCommitFiles), name);
    }
  }

  /** The continuation's pipeline parameters, and each workflow that runs with its jobs (name to app-tests argument). */
  record Run(Map<String, String> parameters, Map<String, Map<String, String>> workflows) {}

  /** The pipeline fails before any continuation job runs; the message is CircleCI's error where it documents one. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  /** The workflows and jobs {@code trigger} runs, or {@link Refused} where CircleCI stops the pipeline. */
  static Run run(JsonNode setup, JsonNode continuation, Trigger trigger) {
    Set<String> inSetup = declared(setup);
    Set<String> inContinuation = declared(continuation);
    trigger.parameters().forEach((name, value) -> {
      JsonNode declaration = setup.path("parameters").path(name);
      if (declaration.isMissingNode()) {
        throw new Refused("Unexpected argument(s): " + name + " (not declared in config.yml)");
      }
      if (declaration.path("type").asText().equals("enum")
          && stream(declaration.path("enum")).noneMatch(v -> v.asText().equals(value))) {
        throw new Refused("pipeline parameter " + name + ": " + value + " is not one of " + declaration.path("enum"));
      }
    });
    Map<String, String> setupParameters = withDefaults(setup, trigger.parameters());
    List<String> setupWorkflows = new ArrayList<>();
    setup.path("workflows").fields().forEachRemaining(w -> {
      if (runs(w.getValue(), setupParameters, trigger)) {
        setupWorkflows.add(w.getKey());
      }
    });
    if (setupWorkflows.size() != 1) {
      throw new Refused("the setup config must run exactly one workflow, runs " + setupWorkflows);
    }
    Map<String, String> passed = passedByContinuation(setup, setup.path("workflows").path(setupWorkflows.get(0)),
        trigger.changedFiles());
    for (String name : passed.keySet()) {
      String setAtTrigger = trigger.parameters().get(name);
      if (inSetup.contains(name) && inContinuation.contains(name) && setAtTrigger != null
          && !setAtTrigger.equals(defaultOf(setup, name))) {
        throw new Refused("Conflicting pipeline parameters. (" + name + ", set by the trigger, passed again by "
            + "the continuation of workflow " + setupWorkflows.get(0) + ")");
      }
    }
    for (String name : union(passed.keySet(), trigger.parameters().keySet())) {
      if (!inContinuation.contains(name)) {
        throw new Refused("Unexpected argument(s): " + name + " (not declared in continue.yml)");
      }
    }
    Map<String, String> parameters = new LinkedHashMap<>(trigger.parameters());
    parameters.putAll(passed);
    parameters = withDefaults(continuation, parameters);
    Map<String, Map<String, String>> workflows = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> workflow : fields(continuation.path("workflows"))) {
      if (runs(workflow.getValue(), parameters, trigger)) {
        Map<String, String> jobs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> job : entries(workflow.getValue().path("jobs"))) {
          if (admits(job.getValue().path("filters").path("branches"), trigger.branch())) {
            jobs.put(job.getValue().path("name").asText(job.getKey()),
                fill(job.getValue().path("app-tests").asText(""), parameters, trigger));
          }
        }
        workflows.put(workflow.getKey(), jobs);
      }
    }
    return new Run(parameters, workflows);
  }

  /**
   * Every pipeline parameter the continuation jobs of any setup workflow may pass (path filtering's mapping, the
   * continuation orb's parameters), by the workflow that passes it.
   */
  static Map<String, Set<String>> passableByContinuations(JsonNode setup) {
    Map<String, Set<String>> passable = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> workflow : fields(setup.path("workflows"))) {
      Set<String> names = new TreeSet<>();
      for (Map.Entry<String, JsonNode> job : entries(workflow.getValue().path("jobs"))) {
        String orb = orbOf(setup, job.getKey());
        if (orb.startsWith("circleci/path-filtering@")) {
          mapping(job.getValue()).forEach(line -> names.add(line.parameter()));
        } else if (orb.startsWith("circleci/continuation@")) {
          names.addAll(continuationParameters(job.getValue()).keySet());
        }
      }
      passable.put(workflow.getKey(), names);
    }
    return passable;
  }

  record MappingLine(Pattern path, String parameter, String value) {}

  /** The path-filtering job of the setup config (the orb job, whatever its alias), or null. */
  static JsonNode pathFilter(JsonNode setup) {
    for (Map.Entry<String, JsonNode> workflow : fields(setup.path("workflows"))) {
      for (Map.Entry<String, JsonNode> job : entries(workflow.getValue().path("jobs"))) {
        if (orbOf(setup, job.getKey()).startsWith("circleci/path-filtering@")) {
          return job.getValue();
        }
      }
    }
    return null;
  }

  /** The orb's mapping: "regex parameter value" per line, the regex anchored at both ends (grep -P). */
  static List<MappingLine> mapping(JsonNode filterJob) {
    List<MappingLine> lines = new ArrayList<>();
    for (String line : filterJob.path("mapping").asText().split("\n")) {
      String[] tokens = line.trim().split("\\s+");
      if (tokens.length >= 3 && !tokens[0].startsWith("#")) {
        lines.add(new MappingLine(Pattern.compile(tokens[0]), tokens[1], tokens[2]));
      }
    }
    return lines;
  }

  static Set<String> declared(JsonNode config) {
    Set<String> names = new TreeSet<>();
    config.path("parameters").fieldNames().forEachRemaining(names::add);
    return names;
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static Map<String, String> passedByContinuation(JsonNode setup, JsonNode workflow, List<String> changed) {
    Map<String, String> passed = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> job : entries(workflow.path("jobs"))) {
      String orb = orbOf(setup, job.getKey());
      if (orb.startsWith("circleci/path-filtering@")) {
        for (MappingLine line : mapping(job.getValue())) {
          if (changed.stream().anyMatch(file -> line.path().matcher(file).matches())) {
            passed.put(line.parameter(), line.value());
          }
        }
      } else if (orb.startsWith("circleci/continuation@")) {
        passed.putAll(continuationParameters(job.getValue()));
      }
    }
    return passed;
  }

  /** The continuation orb's {@code parameters}: a JSON object, "{}" when not given (the orb's default). */
  private static Map<String, String> continuationParameters(JsonNode job) {
    try {
      Map<String, String> parameters = new LinkedHashMap<>();
      JSON.readTree(job.path("parameters").asText("{}")).fields()
          .forEachRemaining(p -> parameters.put(p.getKey(), p.getValue().asText()));
      return parameters;
    } catch (IOException e) {
      throw new UncheckedIOException("continuation parameters are not JSON: " + job.path("parameters"), e);
    }
  }

  private static String orbOf(JsonNode config, String job) {
    return job.contains("/") ? config.path("orbs").path(job.substring(0, job.indexOf('/'))).asText() : "";
  }

  private static Map<String, String> withDefaults(JsonNode config, Map<String, String> set) {
    Map<String, String> values = new LinkedHashMap<>();
    config.path("parameters").fields().forEachRemaining(p -> values.put(p.getKey(), p.getValue().path("default").asText()));
    values.putAll(set);
    return values;
  }

  private static String defaultOf(JsonNode config, String parameter) {
    return config.path("parameters").path(parameter).path("default").asText();
  }

  private static boolean runs(JsonNode workflow, Map<String, String> parameters, Trigger trigger) {
    JsonNode when = workflow.path("when");
    return when.isMissingNode() || holds(when, parameters, trigger);
  }

  /** CircleCI's logic statements: and, or, not, equal, and values (pipeline parameters and values filled in). */
  private static boolean holds(JsonNode condition, Map<String, String> parameters, Trigger trigger) {
    if (condition.has("and")) {
      return stream(condition.path("and")).allMatch(c -> holds(c, parameters, trigger));
    } else if (condition.has("or")) {
      return stream(condition.path("or")).anyMatch(c -> holds(c, parameters, trigger));
    } else if (condition.has("not")) {
      return !holds(condition.path("not"), parameters, trigger);
    } else if (condition.has("equal")) {
      return stream(condition.path("equal")).map(v -> fill(v.asText(), parameters, trigger)).distinct().count() == 1;
    } else if (condition.isValueNode()) {
      String value = fill(condition.asText(), parameters, trigger);
      return !value.isEmpty() && !value.equals("false");
    }
    throw new IllegalArgumentException("unknown logic statement " + condition);
  }

  /** Pipeline parameters and the pipeline values this repository's configs use, filled into {@code text}. */
  private static String fill(String text, Map<String, String> parameters, Trigger trigger) {
    return PIPELINE_VALUE.matcher(text).replaceAll(m -> {
      String name = m.group(1);
      String value;
      if (name.startsWith("parameters.")) {
        value = parameters.get(name.substring("parameters.".length()));
      } else if (name.equals("schedule.name")) {
        value = trigger.scheduleName();
      } else if (name.equals("git.branch")) {
        value = trigger.branch();
      } else {
        throw new IllegalArgumentException("pipeline value " + name + " is not modelled");
      }
      if (value == null) {
        throw new IllegalArgumentException(m.group() + " is not declared");
      }
      return Matcher.quoteReplacement(value);
    });
  }

  /** A job's {@code filters: branches:} (only / ignore, each a name or a list of names) against the branch. */
  private static boolean admits(JsonNode branches, String branch) {
    if (branches.has("only")) {
      return names(branches.path("only")).contains(branch);
    }
    return !names(branches.path("ignore")).contains(branch);
  }

  private static List<String> names(JsonNode nameOrList) {
    return nameOrList.isArray() ? stream(nameOrList).map(JsonNode::asText).toList()
        : nameOrList.isMissingNode() ? List.of() : List.of(nameOrList.asText());
  }

  /** A list of "name" or {name: arguments} entries (workflow jobs) as name to arguments. */
  private static List<Map.Entry<String, JsonNode>> entries(JsonNode list) {
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    for (JsonNode item : list) {
      if (item.isTextual()) {
        entries.add(Map.entry(item.asText(), JSON.createObjectNode()));
      } else {
        item.fields().forEachRemaining(entries::add);
      }
    }
    return entries;
  }

  private static List<Map.Entry<String, JsonNode>> fields(JsonNode map) {
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
    map.fields().forEachRemaining(fields::add);
    return fields;
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
