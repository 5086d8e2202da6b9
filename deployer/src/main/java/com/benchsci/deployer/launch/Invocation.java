package com.benchsci.deployer.launch;

import com.benchsci.deployer.core.Destination;
import com.benchsci.deployer.core.Environment;
import com.benchsci.deployer.core.Mode;
import com.benchsci.deployer.core.RunId;
import com.benchsci.deployer.tools.ToolCache;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What an entry point (the CLI, a Maven goal) reads from the process it runs in, turned into the plain values the
 * library takes: environment variables ({@code AWS_ENDPOINT_URL}, {@code AWS_REGION}, {@code CIRCLE_SHA1},
 * {@code CIRCLE_BUILD_URL}, {@code HELLO_HOST_CACHE}, {@code XDG_CACHE_HOME}), the home folder and git's HEAD.
 * The library itself reads none of them.
 */
public final class Invocation {

  private final Map<String, String> environment;
  private final Path home;
  private final Path workingDirectory;

  public Invocation(Map<String, String> environment, Path home, Path workingDirectory) {
    this.environment = Map.copyOf(environment);
    this.home = home;
    this.workingDirectory = workingDirectory;
  }

  /** This process: its environment, its user's home, run from {@code workingDirectory} (the repository). */
  public static Invocation of(Path workingDirectory) {
    return new Invocation(System.getenv(), Path.of(System.getProperty("user.home")), workingDirectory);
  }

  /** The tool cache: {@code $HELLO_HOST_CACHE}, else {@code $XDG_CACHE_HOME/hello-host}, else ~/.cache/hello-host. */
  public Path toolCache() {
    return ToolCache.defaultRoot(environment, home);
  }

  /**
   * Where {@code environment} is: for local, {@code endpoint} if given, else {@code $AWS_ENDPOINT_URL}, else the local
   * moto server (null here); an emulator is asked for {@code $AWS_REGION} (us-east-1 when unset).
   */
  public Destination destination(Environment environment, URI endpoint) {
    URI chosen = endpoint;
    String fromEnvironment = get("AWS_ENDPOINT_URL");
    if (chosen == null && !fromEnvironment.isEmpty()) {
      chosen = URI.create(fromEnvironment);
    }
    return new Destination(environment, environment == Environment.local ? chosen : null, get("AWS_REGION"));
  }

  /**
   * A new run in {@code mode} of the commit being deployed: {@code $CIRCLE_SHA1}, else git's HEAD here, with the CI
   * build's URL.
   */
  public RunId newRun(Mode mode) {
    String commit = get("CIRCLE_SHA1");
    return RunId.create(commit.isEmpty() ? gitHead() : commit, get("CIRCLE_BUILD_URL"), mode);
  }

  private String get(String name) {
    String value = environment.get(name);
    return value == null ? "" : value.trim();
  }

  /** The short hash of HEAD in the working directory, or "" outside a git repository (or without git). */
  private String gitHead() {
    try {
      Process git = new ProcessBuilder("git", "-C", workingDirectory.toString(), "rev-parse", "--short", "HEAD")
          .redirectErrorStream(true).start();
      String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return git.waitFor() == 0 ? head : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
