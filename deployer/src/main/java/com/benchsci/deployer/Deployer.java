package com.benchsci.deployer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The deployer's verbs as a library: what the CLI ({@link Cli}) and the Maven plugin both call, so neither holds
 * any deploy logic of its own. Failures are runtime exceptions; {@link #problem} turns the ones a user can act on
 * into the one line both print.
 */
public final class Deployer {

  static final List<String> TEMPLATES = List.of("bootstrap.yaml", "stack.yaml");

  /**
   * One deploy or review. {@code prod}: real AWS through the default chains (termination protection, and the
   * greeting checked over HTTP after an executed deploy); otherwise an emulator: {@code endpoint}, else
   * {@code $AWS_ENDPOINT_URL}, else the local moto server that the deployer starts and leaves running.
   */
  public record Settings(Path templates, Path rules, Path appJar, boolean prod, boolean execute, Path reviewFile,
      URI endpoint, Duration waitLimit) {}

  /** The exact bytes of the templates that passed cfn-lint and cfn-guard against {@code rules}. */
  public record Checked(Path rules, Map<Path, String> digests) {
    public static final Checked NOTHING = new Checked(null, Map.of());

    boolean covers(Path templates, Path rules) {
      return rules.equals(this.rules)
          && TEMPLATES.stream().map(templates::resolve).allMatch(t -> digest(t).equals(digests.get(t)));
    }
  }

  private Deployer() {}

  /** cfn-lint and cfn-guard on both templates; throws {@link DeployException} listing every violation. */
  public static Checked check(Path templates, Path rules, PrintWriter out) {
    List<TemplateCheck> checks = Cli.checks(rules);
    Map<Path, String> digests = new TreeMap<>();
    for (String name : TEMPLATES) {
      Path file = templates.resolve(name);
      Deployment.check(Template.load(file), checks, out);
      digests.put(file, digest(file));
    }
    return new Checked(rules, Map.copyOf(digests));
  }

  /**
   * Deploys both stacks, or reviews them when {@code execute} is false. Templates whose exact bytes {@code checked}
   * already covers are not checked again (the Maven build checks them in verify, just before).
   */
  public static void deploy(Settings settings, Checked checked, PrintWriter out) {
    boolean done = checked.covers(settings.templates(), settings.rules());
    if (done) {
      out.println("The templates are byte for byte the ones checked earlier in this build: not checked again.");
    }
    List<TemplateCheck> checks = done ? List.of() : Cli.checks(settings.rules());
    Deployment.Settings run = new Deployment.Settings(settings.templates(), settings.prod() ? "prod" : "local",
        settings.appJar(), settings.execute(), settings.waitLimit(), settings.prod(),
        settings.prod() && settings.execute(), settings.reviewFile(), Cli.changeSetName());
    AwsTarget[] used = new AwsTarget[1];
    try {
      new Deployment(run, checks, out).run(() -> used[0] = target(settings, out));
    } finally {
      // The clients are closed by the deployment; a credential provider may hold its own (STS) client.
      if (used[0] != null && used[0].credentials() instanceof SdkAutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  /** The one line for a failure the user can act on, or null for a defect (which keeps its stack trace). */
  public static String problem(RuntimeException e) {
    if (e instanceof DeployException) {
      return e.getMessage();
    }
    if (e instanceof SdkClientException client) {
      return Cli.clientProblem(client);
    }
    if (e instanceof AwsServiceException service) {
      return "AWS refused the request (" + service.awsErrorDetails().errorCode() + "): "
          + service.awsErrorDetails().errorMessage();
    }
    return null;
  }

  private static AwsTarget target(Settings settings, PrintWriter out) {
    if (settings.prod()) {
      return AwsTarget.aws();
    }
    if (settings.endpoint() != null) {
      return AwsTarget.emulator(settings.endpoint());
    }
    String fromEnv = System.getenv("AWS_ENDPOINT_URL");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return AwsTarget.emulator(URI.create(fromEnv));
    }
    return AwsTarget.emulator(LocalEmulator.endpoint(ToolCache.standard(), out));
  }

  private static String digest(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
