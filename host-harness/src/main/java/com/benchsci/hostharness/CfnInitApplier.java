package com.benchsci.hostharness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies a resource's {@code AWS::CloudFormation::Init} metadata to a host the way cfn-init does on the instance (the
 * real cfn-init comes only from Amazon, so it cannot run here): the single {@code config} key, its sections in
 * cfn-init's order (packages, files, commands, services), with the same systemctl calls cfn-init makes for services
 * (aws-cfn-bootstrap's systemd tool). It runs from this machine into a container, or inside the container as the
 * body of the cfn-init stand-in ({@link com.benchsci.hostharness.standin.CfnInitStandIn}); a {@link Shell} is the
 * difference.
 *
 * <p>It implements exactly the keys the template uses and refuses every other one before applying anything, so the
 * template can never rely on a cfn-init feature this harness does not exercise. Where Debian differs from Amazon
 * Linux 2023 it says so: {@link #DEBIAN_PACKAGES} and {@link #AWS_AGENT_SERVICES}.
 */
public final class CfnInitApplier {

  /**
   * The template's yum packages and what stands in for them in the Debian root file system (installed there by
   * {@link DebianRootFs}). Debian has no Corretto: Amazon Corretto 25 is Amazon's build of OpenJDK 25, and Debian
   * trixie's OpenJDK 25 is the same major version from the same sources with other patches and another build. So the
   * test proves the unit's flags, the AOT cache workflow and the rollout on Java 25, not on Corretto itself; an AOT
   * cache is tied to the one JVM build that made it, which is why the host trains it with its own JVM.
   */
  public static final Map<String, String> DEBIAN_PACKAGES = Map.of(
      "java-25-amazon-corretto-headless", "openjdk-25-jre-headless",
      "openssl", "openssl",
      "util-linux", "util-linux");
  /**
   * Services whose program ships with aws-cfn-bootstrap (preinstalled on Amazon Linux 2023, absent from Debian): on a
   * host without the harness's stand-ins ({@link com.benchsci.hostharness.standin.StandIns}) their unit files are
   * still written, but they are neither enabled nor started; with the stand-ins installed they are managed like any
   * other service.
   */
  public static final Set<String> AWS_AGENT_SERVICES = Set.of("cfn-hup");

  private static final Set<String> INIT_KEYS = Set.of("config");
  private static final Set<String> CONFIG_KEYS = Set.of("packages", "files", "commands", "services");
  private static final Set<String> PACKAGE_MANAGERS = Set.of("yum");
  private static final Set<String> FILE_KEYS = Set.of("content", "source", "authentication", "mode", "owner", "group");
  private static final Set<String> COMMAND_KEYS = Set.of("command", "test");
  private static final Set<String> SERVICE_MANAGERS = Set.of("systemd");
  private static final Set<String> SERVICE_KEYS = Set.of("enabled", "ensureRunning", "files", "packages");
  private static final Set<String> AUTHENTICATION_KEYS = Set.of("type", "roleName", "buckets");
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

  private final String resource;
  private final Map<String, Object> config;
  private final Map<String, Object> authentication;
  private final ArtifactSource artifacts;

  /**
   * @param resource the logical id whose metadata this is (for messages)
   * @param init the evaluated {@code AWS::CloudFormation::Init} value
   * @param authentication the evaluated {@code AWS::CloudFormation::Authentication} value (empty when none)
   * @param artifacts where the files with a {@code source} come from
   */
  public CfnInitApplier(String resource, Map<String, Object> init, Map<String, Object> authentication,
      ArtifactSource artifacts) {
    this.resource = resource;
    this.authentication = authentication;
    this.artifacts = artifacts;
    String where = resource + ".Metadata.AWS::CloudFormation::Init";
    requireOnly(init, INIT_KEYS, where, "(configSets are not exercised: use the single config key)");
    this.config = map(init.get("config"), where + ".config");
    validate(where + ".config");
  }

  /** The host template's own metadata, its file sources from {@code artifacts}. */
  public static CfnInitApplier of(HostTemplate template, ArtifactSource artifacts) {
    return new CfnInitApplier(template.resource(), template.init(), template.authentication(), artifacts);
  }

  // ---- validation: the whole config is checked before anything is applied ----

  private void validate(String where) {
    // users/groups: cfn-init's useradd (-r, no -g) fails when the user's own group already exists, as this test
    // showed; the template creates its user with a command instead.
    requireOnly(config, CONFIG_KEYS, where, "(sources, users and groups are not exercised)");
    Map<String, Object> packages = section("packages");
    requireOnly(packages, PACKAGE_MANAGERS, where + ".packages", "(only yum, which is dnf on Amazon Linux 2023)");
    packages.forEach((manager, list) -> map(list, where + ".packages." + manager).forEach((name, versions) -> {
      if (!DEBIAN_PACKAGES.containsKey(name)) {
        throw refused(where + ".packages." + manager + "." + name, "a package with no Debian stand-in in"
            + " CfnInitApplier.DEBIAN_PACKAGES (add one, and add the Debian package to DebianRootFs.PACKAGES)");
      }
      if (!(versions instanceof List<?> pins) || !pins.isEmpty()) {
        throw refused(where + ".packages." + manager + "." + name, "a pinned version (use [])");
      }
    }));
    section("files").forEach((path, file) -> validateFile(path, map(file, where + ".files." + path), where + ".files." + path));
    section("commands").forEach((name, command) -> {
      Map<String, Object> attributes = map(command, where + ".commands." + name);
      requireOnly(attributes, COMMAND_KEYS, where + ".commands." + name, "(cwd, env and ignoreErrors are not exercised)");
      if (!(attributes.get("command") instanceof String)) {
        throw refused(where + ".commands." + name, "a command that is not one shell string");
      }
    });
    Map<String, Object> services = section("services");
    requireOnly(services, SERVICE_MANAGERS, where + ".services", "(only systemd)");
    section(services, "systemd").forEach((name, service) -> validateService(name, map(service,
        where + ".services.systemd." + name), where + ".services.systemd." + name));
  }

  private void validateFile(String path, Map<String, Object> file, String where) {
    requireOnly(file, FILE_KEYS, where, "(encoding, context and symlinks are not exercised)");
    if (!path.startsWith("/")) {
      throw refused(where, "a relative path");
    }
    if (file.containsKey("content") == file.containsKey("source")) {
      throw refused(where, "a file without exactly one of content and source");
    }
    if (file.containsKey("content") && !(file.get("content") instanceof String)) {
      throw refused(where, "content that is not a string (JSON content is not exercised)");
    }
    if (file.containsKey("source")) {
      validateSource(String.valueOf(file.get("source")), file.get("authentication"), where);
    }
    if (!String.valueOf(file.getOrDefault("mode", "000644")).matches("000[0-7]{3}")) {
      throw refused(where, "mode " + file.get("mode") + " (expected a quoted regular file mode like \"000644\")");
    }
  }

  /**
   * A source must be an S3 object that cfn-init downloads signed: with the S3 authentication the file names
   * (aws-cfn-bootstrap's AuthenticationConfig.get_auth), or, when it names none, with the authentication whose
   * {@code buckets} list the object's bucket. Anything else goes unsigned, and the private artifact bucket refuses it.
   * A name the Authentication does not define is refused too: cfn-init would fall back to the buckets rule silently.
   */
  private void validateSource(String source, Object authenticationName, String where) {
    ArtifactSource.S3Location location = ArtifactSource.S3Location.parse(source);
    if (location == null) {
      throw refused(where, "source " + source + ": only an S3 object URL (https://<bucket>.s3.<region>.amazonaws.com/"
          + "<key>) is exercised");
    }
    String authWhere = resource + ".Metadata.AWS::CloudFormation::Authentication";
    authentication.forEach((name, auth) -> {
      Map<String, Object> fields = map(auth, authWhere + "." + name);
      requireOnly(fields, AUTHENTICATION_KEYS, authWhere + "." + name, "(only S3 with an instance role is exercised)");
      if (!"S3".equals(fields.get("type")) || !(fields.get("roleName") instanceof String)) {
        throw refused(authWhere + "." + name, "an authentication that is not type S3 with a roleName");
      }
    });
    if (authenticationName != null) {
      if (!authentication.containsKey(String.valueOf(authenticationName))) {
        throw refused(where, "authentication " + authenticationName + ", which " + authWhere + " does not define");
      }
      return;
    }
    boolean listed = authentication.entrySet().stream().anyMatch(e -> list(map(e.getValue(), authWhere + "."
        + e.getKey()).getOrDefault("buckets", List.of()), authWhere + "." + e.getKey() + ".buckets")
        .contains(location.bucket()));
    if (!listed) {
      throw refused(where, "a source in bucket " + location.bucket() + " with no authentication that names or lists it"
          + " (cfn-init would download it unsigned, and a private bucket refuses that)");
    }
  }

  private void validateService(String name, Map<String, Object> service, String where) {
    requireOnly(service, SERVICE_KEYS, where, "(sources and commands triggers are not exercised)");
    for (String key : List.of("enabled", "ensureRunning")) {
      if (service.containsKey(key) && !(service.get(key) instanceof Boolean)) {
        throw refused(where + "." + key, "a value that is not true or false");
      }
    }
    for (Object file : list(service.getOrDefault("files", List.of()), where + ".files")) {
      if (!section("files").containsKey(String.valueOf(file))) {
        throw refused(where + ".files", file + ", which this config's files section does not write");
      }
    }
    Map<String, Object> packages = map(service.getOrDefault("packages", Map.of()), where + ".packages");
    packages.forEach((manager, names) -> {
      for (Object pkg : list(names, where + ".packages." + manager)) {
        if (!map(section("packages").getOrDefault(manager, Map.of()), where).containsKey(String.valueOf(pkg))) {
          throw refused(where + ".packages", pkg + ", which this config's packages section does not install");
        }
      }
    });
  }

  // ---- applying, in cfn-init's order ----

  /** Applies the config on {@code host}; fails on the first step that fails, naming it. */
  public void applyTo(Shell host) {
    section("packages").forEach((manager, names) -> map(names, manager).keySet().forEach(name -> {
      String debian = DEBIAN_PACKAGES.get(name);
      say("packages.%s.%s: Debian stand-in %s (preinstalled in the root file system)", manager, name, debian);
      Cmd.Result status = host.exec(STEP_TIMEOUT, "dpkg-query", "-W", "-f=${Status}", debian);
      if (!status.out().equals("install ok installed")) {
        throw new IllegalStateException(debian + " (stand-in for " + name + ") is not installed in the root file"
            + " system: add it to DebianRootFs.PACKAGES\n" + status.describe());
      }
    }));
    Set<String> written = new LinkedHashSet<>();
    section("files").forEach((path, file) -> {
      writeFile(host, path, map(file, path));
      written.add(path);
    });
    new TreeMap<>(section("commands")).forEach((name, command) -> runCommand(host, name, map(command, name)));
    section(section("services"), "systemd").forEach((name, service) ->
        applyService(host, name, map(service, name), written));
  }

  private void writeFile(Shell host, String path, Map<String, Object> file) {
    String mode = String.valueOf(file.getOrDefault("mode", "000644")).substring(3);
    String owner = String.valueOf(file.getOrDefault("owner", "root"));
    String group = String.valueOf(file.getOrDefault("group", "root"));
    say("files.%s: %s, mode %s, %s:%s", path, file.containsKey("source") ? file.get("source") : "content", mode, owner,
        group);
    Path input = null;
    try {
      if (file.containsKey("content")) {
        input = Files.createTempFile("hello-host-content", ".txt");
        Files.writeString(input, (String) file.get("content"), StandardCharsets.UTF_8);
      } else {
        input = artifacts.fetch(ArtifactSource.S3Location.parse(String.valueOf(file.get("source"))));
      }
      Cmd.Result write = host.execWithInput(STEP_TIMEOUT, input, "/bin/sh", "-c",
          "mkdir -p \"$(dirname \"$1\")\" && cat > \"$1\" && chmod \"$2\" \"$1\" && chown \"$3:$4\" \"$1\"",
          "write", path, mode, owner, group);
      if (!write.ok()) {
        throw new IllegalStateException("files." + path + " failed:\n" + write.describe());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (input != null) {
        input.toFile().delete();
      }
    }
  }

  /** As cfn-init runs a command: through the shell, only when its test (if any) exits 0; non-zero fails. */
  private void runCommand(Shell host, String name, Map<String, Object> command) {
    if (command.containsKey("test")) {
      Cmd.Result test = host.sh(STEP_TIMEOUT, String.valueOf(command.get("test")));
      if (!test.ok()) {
        say("commands.%s: skipped, its test exited %d", name, test.exit());
        return;
      }
    }
    say("commands.%s", name);
    step(host, "commands." + name, "/bin/sh", "-c", String.valueOf(command.get("command")));
  }

  /**
   * As cfn-init's systemd tool: enable or disable, then daemon-reload and reload-or-restart when a file it watches was
   * written in this run (always, on a fresh host), else start or stop per ensureRunning.
   */
  private void applyService(Shell host, String name, Map<String, Object> service, Set<String> written) {
    if (AWS_AGENT_SERVICES.contains(name) && !host.exec(STEP_TIMEOUT, "test", "-x", "/opt/aws/bin/" + name).ok()) {
      say("services.systemd.%s: NOT enabled or started: its program comes with aws-cfn-bootstrap, which only Amazon"
          + " Linux has, and this host has no stand-in for it; its files are written", name);
      return;
    }
    if (service.containsKey("enabled")) {
      step(host, "services.systemd." + name, "systemctl", (Boolean) service.get("enabled") ? "enable" : "disable", name);
    }
    boolean triggered = list(service.getOrDefault("files", List.of()), name).stream().anyMatch(written::contains);
    if (triggered) {
      step(host, "services.systemd." + name, "systemctl", "daemon-reload");
      step(host, "services.systemd." + name, "systemctl", "reload-or-restart", name);
    } else if (service.containsKey("ensureRunning")) {
      boolean running = host.exec(STEP_TIMEOUT, "systemctl", "is-active", name).ok();
      boolean wanted = (Boolean) service.get("ensureRunning");
      if (wanted != running) {
        step(host, "services.systemd." + name, "systemctl", wanted ? "start" : "stop", name);
      }
    }
    say("services.systemd.%s: enabled=%s, ensureRunning=%s", name, service.get("enabled"), service.get("ensureRunning"));
  }

  private void step(Shell host, String what, String... argv) {
    Cmd.Result result = host.exec(STEP_TIMEOUT, argv);
    if (!result.ok()) {
      throw new IllegalStateException(resource + " cfn-init " + what + " failed (as it would on the instance):\n"
          + result.describe());
    }
  }

  // ---- small helpers ----

  private Map<String, Object> section(String name) {
    return section(config, name);
  }

  private static Map<String, Object> section(Map<String, Object> parent, String name) {
    return map(parent.getOrDefault(name, Map.of()), name);
  }

  private static void requireOnly(Map<String, Object> map, Set<String> known, String where, String hint) {
    for (String key : map.keySet()) {
      if (!known.contains(key)) {
        throw refused(where + "." + key, "the key " + key + ", which the host harness does not implement " + hint
            + ". Teach CfnInitApplier the key (and exercise it) before the template relies on it");
      }
    }
  }

  private static IllegalArgumentException refused(String where, String what) {
    return new IllegalArgumentException(where + ": refused " + what);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String where) {
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException(where + ": expected a mapping, found " + value);
    }
    return (Map<String, Object>) value;
  }

  private static List<?> list(Object value, String where) {
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException(where + ": expected a list, found " + value);
    }
    return list;
  }

  private static void say(String format, Object... args) {
    System.out.println("[cfn-init] " + String.format(format, args));
  }
}
