package com.benchsci.deployer;

import com.benchsci.deployer.aws.AwsTarget;
import com.benchsci.deployer.live.FirewallAudit;
import com.benchsci.deployer.live.StackDrift;
import com.benchsci.deployer.stack.Deployment;
import com.benchsci.deployer.template.GuardCheck;
import com.benchsci.deployer.template.Template;
import com.benchsci.deployer.template.TemplateCheck;
import com.benchsci.deployer.tools.ToolCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
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
      URI endpoint, Duration waitLimit, boolean refreshImage, String reviewedDigests) {}

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
    for (String name : TEMPLATES) {
      Deployment.check(Template.load(templates.resolve(name)), checks, out);
    }
    return checked(templates, rules);
  }

  /**
   * {@link #check}, unless {@code record} holds the fingerprint of exactly these inputs from an earlier pass: the
   * bytes of both templates and of every file under {@code rules}, and the pinned cfn-lint and cfn-guard versions.
   * The checks are deterministic in those, so the same inputs cannot fail now. A pass records its fingerprint.
   */
  public static Checked check(Path templates, Path rules, Path record, PrintWriter out) {
    String fingerprint = fingerprint(templates, rules);
    try {
      if (Files.isRegularFile(record) && Files.readString(record).trim().equals(fingerprint)) {
        out.printf("cfn-lint and cfn-guard passed these exact templates, rules and tool versions before (%s):"
            + " not run again.%n", record);
        return checked(templates, rules);
      }
      Checked checked = check(templates, rules, out);
      Files.createDirectories(record.toAbsolutePath().getParent());
      Files.writeString(record, fingerprint + "\n");
      return checked;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the check record " + record, e);
    }
  }

  /**
   * Deploys both stacks, or reviews them when {@code execute} is false. Templates whose exact bytes {@code checked}
   * already covers are not checked again (the Maven build checks them in verify, just before).
   */
  public static void deploy(Settings settings, Checked checked, PrintWriter out) {
    Cli.Env env = env(settings.prod());
    Deployment.Settings run = new Deployment.Settings(settings.templates(), settings.rules(), env.name(),
        settings.appJar(), settings.execute(), settings.waitLimit(), settings.prod(),
        settings.prod() && settings.execute(), settings.reviewFile(), Cli.changeSetName(), settings.refreshImage(),
        Cli.reviewedDigests(settings.reviewedDigests()));
    boolean done = checked.covers(settings.templates(), settings.rules());
    if (done) {
      out.println("The templates are byte for byte the ones checked earlier in this build: not checked again.");
    }
    List<TemplateCheck> checks = done ? List.of() : Cli.checks(settings.rules());
    AwsTarget[] used = new AwsTarget[1];
    try {
      new Deployment(run, checks, out).run(() -> used[0] = Cli.target(env, settings.endpoint(), out));
    } finally {
      // The clients are closed by the deployment; a credential provider may hold its own (STS) client.
      if (used[0] != null && used[0].credentials() instanceof SdkAutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  /** Drift detection on both stacks, report written; the CLI's exit code: 0 in sync, 3 drift, 4 detection failed. */
  public static int drift(boolean prod, URI endpoint, Duration waitLimit, Path report, PrintWriter out) {
    StackDrift.Settings settings = new StackDrift.Settings(
        List.of(Deployment.BOOTSTRAP_STACK, Deployment.APP_STACK), waitLimit, report);
    return StackDrift.run(settings, Cli.target(env(prod), endpoint, out), out).exitCode();
  }

  /** The host's live security groups against the firewall rules of {@code rules}, report written; true: passed. */
  public static boolean audit(boolean prod, URI endpoint, Path rules, Path document, Path report, PrintWriter out) {
    if (!Files.isDirectory(rules)) {
      throw new DeployException("cfn-guard rules not found: " + rules + " (run from the repository root or set --rules)");
    }
    GuardCheck guard = new GuardCheck(ToolCache.standard().cfnGuard(), rules);
    return FirewallAudit.run(new FirewallAudit.Settings(Deployment.APP_STACK, document, report),
        Cli.target(env(prod), endpoint, out), guard, out).passed();
  }

  private static Cli.Env env(boolean prod) {
    return prod ? Cli.Env.prod : Cli.Env.local;
  }

  /**
   * The one line for a failure the user can act on (a refusal, a stop before unreviewed changes, AWS saying no), or
   * null for a defect (which keeps its stack trace).
   */
  public static String problem(RuntimeException e) {
    if (e instanceof DeployException) {
      return e.getMessage();
    }
    if (e instanceof AwsServiceException service) {
      return "AWS refused the request (" + service.awsErrorDetails().errorCode() + "): "
          + service.awsErrorDetails().errorMessage();
    }
    return null;
  }

  private static Checked checked(Path templates, Path rules) {
    Map<Path, String> digests = new TreeMap<>();
    for (String name : TEMPLATES) {
      digests.put(templates.resolve(name), digest(templates.resolve(name)));
    }
    return new Checked(rules, Map.copyOf(digests));
  }

  private static String fingerprint(Path templates, Path rules) {
    ToolCache tools = ToolCache.standard();
    StringBuilder inputs = new StringBuilder("cfn-lint " + tools.version("cfn-lint") + "\ncfn-guard "
        + tools.version("cfn-guard") + "\n");
    List<Path> files = new ArrayList<>(TEMPLATES.stream().map(templates::resolve).toList());
    try (Stream<Path> walk = Files.walk(rules)) {
      walk.filter(Files::isRegularFile).sorted().forEach(files::add);
    } catch (IOException e) {
      throw new DeployException("cannot read the cfn-guard rules in " + rules + " (" + e + ")", e);
    }
    for (Path file : files) {
      inputs.append(file.toAbsolutePath()).append(' ').append(digest(file)).append('\n');
    }
    return sha256(inputs.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String digest(Path file) {
    try {
      return sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new DeployException("cannot read " + file + " (" + e + ")", e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
