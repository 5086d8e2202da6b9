package com.benchsci.hostharness.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One check of every hook, as aws-cfn-bootstrap's {@code HookProcessor.process} does it: read the path's data from
 * DescribeStackResource (skipped while the resource is *_IN_PROGRESS), compare it with the value stored from the last
 * check in {@code /var/lib/cfn-hup/data/metadata_db.json} under "hook|path", and run the action when a trigger
 * matches: post.add (no stored value, a value now), post.update (both, and they differ), post.remove (a stored value,
 * none now). The new value is stored when no trigger matched or the action exited 0; after a failed action it is not,
 * so the next check runs the action again. The action runs in a copy of cfn-hup's environment with CFN_OLD_METADATA and
 * CFN_NEW_METADATA (or _PHYSICAL_RESOURCE_ID, _LAST_UPDATED) set, through {@code su <runas> -c} when runas is given,
 * else through the shell.
 */
final class HookProcessor {

  /** A path cfn-hup cannot watch: it stops cfn-hup (aws-cfn-bootstrap's FatalUpdateError). */
  static final class FatalUpdateError extends RuntimeException {
    FatalUpdateError(String message) {
      super(message);
    }
  }

  static final String STATE_DIR = "/var/lib/cfn-hup/data";
  /** The action keeps the umask of whoever started cfn-hup (--no-daemon sets none). */
  static final int INHERITED_UMASK = -1;
  private static final Pattern UNESCAPED_DOT = Pattern.compile("(?<!\\\\)\\.");

  private final CfnHupConfig config;
  private final URI endpoint;
  private final int umask;
  private final StandInLog log;
  private final Path state;

  HookProcessor(CfnHupConfig config, URI endpoint, int umask, StandInLog log) {
    this.config = config;
    this.endpoint = endpoint;
    this.umask = umask;
    this.log = log;
    Path dir = HostPaths.of(STATE_DIR);
    try {
      if (!Files.isDirectory(dir)) {
        log.debug("Creating %s", dir);
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    this.state = dir.resolve("metadata_db.json");
  }

  /** One check of every hook; a failure of one hook is logged and the others still run. */
  void process() {
    ObjectNode stored = readState();
    Map<String, StackResource> resources = new HashMap<>();
    for (CfnHupConfig.Hook hook : config.hooks()) {
      try {
        processHook(hook, stored, resources);
      } catch (FatalUpdateError e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        log.error("Exception caught while running hook %s: %s", hook.name(), e.getMessage());
      }
    }
  }

  private void processHook(CfnHupConfig.Hook hook, ObjectNode stored, Map<String, StackResource> resources)
      throws IOException {
    String[] parts = hook.path().split("\\.", 4);
    StackResource resource = resource(parts, hook.path(), resources);
    if (resource.status().endsWith("_IN_PROGRESS")) {
      log.debug("Skipping resource %s in %s as it is in status %s", parts[1], config.stack(), resource.status());
      return;
    }
    JsonNode newData = pathData(parts, resource);
    String key = hook.name() + "|" + hook.path();
    JsonNode oldData = stored.get(key);
    boolean hadOld = truthy(oldData);
    boolean hasNew = truthy(newData);
    if (hook.triggers().contains("post.add") && !hadOld && hasNew) {
      log.info("Previous state not found; action for %s will be run", hook.name());
    } else if (hook.triggers().contains("post.remove") && hadOld && !hasNew) {
      log.info("Path %s was removed; action for %s will be run", hook.path(), hook.name());
    } else if (hook.triggers().contains("post.update") && hadOld && hasNew && !oldData.equals(newData)) {
      log.info("Data has changed from previous state; action for %s will be run", hook.name());
    } else {
      log.debug("No change in path %s for hook %s", hook.path(), hook.name());
      store(stored, key, newData);
      return;
    }
    log.info("Running action for %s", hook.name());
    String envKey = parts.length < 3 ? "LAST_UPDATED" : parts[2].equalsIgnoreCase("metadata") ? "METADATA"
        : "PHYSICAL_RESOURCE_ID";
    Map<String, String> env = new HashMap<>();
    if (hadOld) {
      env.put("CFN_OLD_" + envKey, text(oldData));
    }
    if (hasNew) {
      env.put("CFN_NEW_" + envKey, text(newData));
    }
    ActionResult result = run(hook, env);
    if (result.exit() != 0) {
      log.warn("Action for %s exited with %d; will retry on next iteration", hook.name(), result.exit());
    } else {
      store(stored, key, newData);
    }
    log.debug("Action for %s output: %s", hook.name(), result.output().isEmpty() ? "<None>" : result.output());
  }

  private StackResource resource(String[] parts, String path, Map<String, StackResource> resources)
      throws IOException {
    if (parts.length < 2) {
      throw new FatalUpdateError("Unsupported path: paths must be in the form Resources.<LogicalResourceId>"
          + "(.Metadata|PhysicalResourceId)(.<optional Metadata subkey>). Input: " + path);
    }
    if (!parts[0].equalsIgnoreCase("resources")) {
      throw new FatalUpdateError("Unsupported path: only changes to Resources are supported (path: " + path + ")");
    }
    if (parts.length > 2 && !List.of("metadata", "physicalresourceid").contains(parts[2].toLowerCase(Locale.ROOT))) {
      throw new FatalUpdateError("Unsupported path: only Metadata or PhysicalResourceId can be specified after"
          + " LogicalResourceId (path: " + path + ")");
    }
    StackResource cached = resources.get(parts[1]);
    if (cached == null) {
      cached = StackResource.describe(endpoint, config.stack(), parts[1]);
      resources.put(parts[1], cached);
    }
    return cached;
  }

  private JsonNode pathData(String[] parts, StackResource resource) {
    if (parts.length > 2 && parts[2].equalsIgnoreCase("metadata")) {
      if (resource.metadata() == null) {
        log.warn("No metadata for %s in %s", parts[1], config.stack());
        return null;
      }
      JsonNode value = resource.metadata();
      if (parts.length == 4) {
        for (String element : UNESCAPED_DOT.split(parts[3])) {
          value = value.get(element.replace("\\.", "."));
          if (value == null) {
            return null;
          }
        }
      }
      return value;
    }
    if (resource.status().equals("DELETE_COMPLETE")) {
      return null;
    }
    return StackResource.JSON.getNodeFactory().textNode(parts.length > 2 ? resource.physicalId()
        : resource.lastUpdated());
  }

  private record ActionResult(int exit, String output) {}

  /** The action with cfn-hup's umask, through su when runas is set, else through /bin/sh; output kept. */
  private ActionResult run(CfnHupConfig.Hook hook, Map<String, String> env) {
    List<String> argv = new ArrayList<>();
    if (umask != INHERITED_UMASK) {
      // The daemon's umask, which its actions inherit (the JVM cannot set its own).
      argv.addAll(List.of("/bin/sh", "-c", "umask " + String.format("%04o", umask) + " && exec \"$@\"",
          "cfn-hup-action"));
    }
    if (hook.runas() != null) {
      argv.addAll(List.of("su", hook.runas(), "-c", hook.action()));
    } else {
      argv.addAll(List.of("/bin/sh", "-c", hook.action()));
    }
    try {
      ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().putAll(env);
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new ActionResult(process.waitFor(), output.strip());
    } catch (IOException e) {
      log.error("cannot run the action of %s: %s", hook.name(), e.getMessage());
      return new ActionResult(-1, "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ActionResult(-1, "");
    }
  }

  /** Python's truth of the value: nothing, null, false, 0, "" and empty collections are false. */
  private static boolean truthy(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return false;
    }
    if (value.isContainerNode()) {
      return value.size() > 0;
    }
    if (value.isTextual()) {
      return !value.asText().isEmpty();
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    return !value.isNumber() || value.asDouble() != 0;
  }

  private static String text(JsonNode value) {
    return value.isTextual() ? value.asText() : value.toString();
  }

  private ObjectNode readState() {
    try {
      return Files.isRegularFile(state) && Files.size(state) > 0
          ? (ObjectNode) StackResource.JSON.readTree(state.toFile()) : StackResource.JSON.createObjectNode();
    } catch (IOException | ClassCastException e) {
      return StackResource.JSON.createObjectNode(); // an unreadable cache is an empty one, as in aws-cfn-bootstrap
    }
  }

  private void store(ObjectNode stored, String key, JsonNode value) {
    stored.set(key, value);
    try {
      Files.writeString(state, StackResource.JSON.writeValueAsString(stored), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + state, e);
    }
  }
}
