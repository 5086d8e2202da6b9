package com.benchsci.deployer.api;

import com.benchsci.deployer.aws.AwsProblems;
import com.benchsci.deployer.aws.SdkClients;
import com.benchsci.deployer.check.GuardCheck;
import com.benchsci.deployer.check.LintCheck;
import com.benchsci.deployer.core.AwsClients;
import com.benchsci.deployer.core.ContentHash;
import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.DeploySettings;
import com.benchsci.deployer.core.Destination;
import com.benchsci.deployer.core.ProductStack;
import com.benchsci.deployer.core.Target;
import com.benchsci.deployer.core.TextFile;
import com.benchsci.deployer.deploy.Connection;
import com.benchsci.deployer.deploy.DeployOutcome;
import com.benchsci.deployer.deploy.Deployment;
import com.benchsci.deployer.emulator.LocalEmulator;
import com.benchsci.deployer.impact.Analysis;
import com.benchsci.deployer.emulator.Quirks;
import com.benchsci.deployer.live.AuditOutcome;
import com.benchsci.deployer.live.DriftOutcome;
import com.benchsci.deployer.live.FirewallAudit;
import com.benchsci.deployer.live.StackDrift;
import com.benchsci.deployer.rehearsal.Rehearsal;
import com.benchsci.deployer.rehearsal.RehearsalId;
import com.benchsci.deployer.rehearsal.RehearsalOutcome;
import com.benchsci.deployer.rehearsal.RehearsalSettings;
import com.benchsci.deployer.report.AuditText;
import com.benchsci.deployer.report.ImpactText;
import com.benchsci.deployer.report.DriftText;
import com.benchsci.deployer.report.RehearsalText;
import com.benchsci.deployer.report.ReviewMarkdown;
import com.benchsci.deployer.template.Template;
import com.benchsci.deployer.template.TemplateChecks;
import com.benchsci.deployer.tools.ToolCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The deployer's verbs as a library (check, deploy, drift, audit, rehearse): what the CLI and the Maven goals call
 * with plain values, so neither holds any deploy logic of its own. Each verb wires the layers below (the checks, the AWS clients and the target's quirks,
 * the orchestration, the report renderers) and returns a typed outcome; none reads the environment or exits.
 * Failures are runtime exceptions; {@link #problem} turns the ones a user can act on into the one line to print.
 */
public final class Deployer {

  private final ToolCache tools;
  private final PrintWriter out;

  /** {@code toolCache}: where the pinned tools are installed (and the local moto server recorded). */
  public Deployer(Path toolCache, PrintWriter out) {
    this.tools = new ToolCache(toolCache);
    this.out = out;
  }

  /** cfn-lint and cfn-guard on both templates; throws {@link DeployException} listing every violation. */
  public Checked check(Path templates, Path rules) {
    TemplateChecks checks = policyChecks(rules);
    for (Path template : ProductStack.templates(templates)) {
      checks.require(Template.load(template), out);
    }
    return Checked.of(templates, rules);
  }

  /**
   * {@link #check}, unless {@code record} holds the fingerprint of exactly these inputs from an earlier pass: the
   * bytes of both templates and of every file under {@code rules}, and the pinned cfn-lint and cfn-guard versions.
   * The checks are deterministic in those, so the same inputs cannot fail now. A pass records its fingerprint.
   */
  public Checked check(Path templates, Path rules, Path record) {
    String fingerprint = fingerprint(templates, rules);
    try {
      if (Files.isRegularFile(record) && Files.readString(record).trim().equals(fingerprint)) {
        out.printf("cfn-lint and cfn-guard passed these exact templates, rules and tool versions before (%s):"
            + " not run again.%n", record);
        return Checked.of(templates, rules);
      }
      Checked checked = check(templates, rules);
      Files.createDirectories(record.toAbsolutePath().getParent());
      Files.writeString(record, fingerprint + "\n");
      return checked;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the check record " + record, e);
    }
  }

  /**
   * Deploys both stacks, or reviews them; a review, and a deploy that stopped before an unreviewed change set, write
   * the Markdown review and its digests. Templates whose exact bytes {@code checked} already covers are not checked
   * again (the Maven build checks them in verify, just before).
   */
  public DeployOutcome deploy(DeploySettings settings, Checked checked) {
    boolean done = checked.covers(settings.sources().templates(), settings.sources().rules());
    if (done) {
      out.println("The templates are byte for byte the ones checked earlier in this build: not checked again.");
    }
    TemplateChecks checks = done ? TemplateChecks.NONE : policyChecks(settings.sources().rules());
    // The target is worked out (and the local moto server started) only once the checks passed.
    DeployOutcome outcome = new Deployment(settings, checks, ImpactText::console, this::analysis, out).run(() -> connection(target(settings.destination())));
    ReviewMarkdown.write(outcome);
    if (outcome.kind() == DeployOutcome.Kind.REVIEWED) {
      out.printf("Review written to %s (the pull request's comment: %s; digests: %s); nothing was executed.%n",
          outcome.reviewFile(), outcome.commentFile(), outcome.digestsFile());
    }
    return outcome;
  }

  /** Drift detection on both stacks; the report is printed and written to {@code report}. */
  public DriftOutcome drift(Destination destination, Duration waitLimit, Path report) {
    Target target = target(destination);
    List<DriftOutcome.StackResult> results = new ArrayList<>();
    try (AwsClients aws = SdkClients.connect(target)) {
      for (String stack : ProductStack.stackNames()) {
        out.printf("Detecting drift of stack %s on %s%n", stack, target.describe());
        out.flush();
        results.add(StackDrift.detect(aws.cloudFormation(), stack, waitLimit, Quirks.of(target)));
      }
    } catch (SdkClientException e) {
      throw AwsProblems.of(target, e);
    }
    DriftOutcome outcome = new DriftOutcome(results);
    out.print(DriftText.console(outcome));
    TextFile.write(report, DriftText.markdown(outcome));
    out.printf("Drift report: %s%n", report);
    out.flush();
    return outcome;
  }

  /**
   * The host's live security groups against the firewall rules of {@code rules}; the firewall read is written to
   * {@code document} as the template the rules judge, the report printed and written to {@code report}.
   */
  public AuditOutcome audit(Destination destination, Path rules, Path document, Path report) {
    GuardCheck guard = new GuardCheck(tools.cfnGuard(), requireRules(rules));
    Target target = target(destination);
    AuditOutcome outcome;
    try (AwsClients aws = SdkClients.connect(target)) {
      outcome = FirewallAudit.audit(aws, ProductStack.APP.stackName(), document, guard::validate);
    } catch (SdkClientException e) {
      throw AwsProblems.of(target, e);
    }
    out.print(AuditText.console(outcome));
    TextFile.write(report, AuditText.markdown(outcome));
    out.printf("Audit document: %s; report: %s%n", document, report);
    out.flush();
    return outcome;
  }

  /**
   * The rehearsal (docs/rehearsal.md): checks both templates once (unless {@code checked} covers these bytes, or the
   * work folder's record says they passed before), then runs every step on the target under the rehearsal's own
   * names, deletes everything it made, and prints the table (also when a signal ends it early).
   */
  public RehearsalOutcome rehearse(RehearsalSettings settings, Checked checked) {
    RehearsalSettings.refuseProd(settings.destination());
    Path templates = settings.sources().templates();
    if (!checked.covers(templates, settings.sources().rules())) {
      check(templates, settings.sources().rules(), settings.workDir().resolve("hello-host-check.sha256"));
    }
    GuardCheck guard = new GuardCheck(tools.cfnGuard(), requireRules(settings.sources().rules()));
    Target target = target(settings.destination());
    try {
      // Checked once above: the same bytes are not checked again by each deploy of the rehearsal.
      return new Rehearsal(settings, () -> connection(target), guard::validate,
          deploy -> new Deployment(deploy, TemplateChecks.NONE, ImpactText::console, this::analysis, out), out,
          this::printTable).run();
    } catch (SdkClientException e) {
      throw AwsProblems.of(target, e);
    }
  }

  /** Finishes the clean-up of rehearsal {@code id} (one that was killed), and prints its row. */
  public RehearsalOutcome cleanUpRehearsal(Destination destination, RehearsalId id, Duration waitLimit) {
    RehearsalSettings.refuseProd(destination);
    Target target = target(destination);
    try {
      RehearsalOutcome outcome = Rehearsal.cleanUpOnly(id, connection(target), waitLimit, out);
      printTable(outcome);
      return outcome;
    } catch (SdkClientException e) {
      throw AwsProblems.of(target, e);
    }
  }

  private void printTable(RehearsalOutcome outcome) {
    out.print(RehearsalText.console(outcome));
    out.flush();
  }

  /** The impact analysis for a region, from the resource schemas the pinned cfn-lint carries for it. */
  private Analysis analysis(String region) {
    return Analysis.standard(tools.cfnLintPackage(), region);
  }

  private static Connection connection(Target target) {
    return new Connection(SdkClients.connect(target), Quirks.of(target));
  }

  /**
   * The one line for a failure the user can act on (a refusal, bad input, AWS saying no), or null for a defect
   * (which keeps its stack trace).
   */
  public static String problem(RuntimeException e) {
    if (e instanceof DeployException) {
      return e.getMessage();
    }
    if (e instanceof AwsServiceException service) {
      return AwsProblems.refused(service);
    }
    return null;
  }

  /**
   * The target a destination stands for: prod and sandbox are AWS through the default chains; local is the given
   * endpoint, else the local moto server, found or started here.
   */
  private Target target(Destination destination) {
    if (destination.environment().isAws()) {
      return SdkClients.aws();
    }
    URI endpoint = destination.endpoint() != null ? destination.endpoint() : LocalEmulator.endpoint(tools, out);
    return Target.emulator(endpoint, destination.emulatorRegion());
  }

  private static Path requireRules(Path rules) {
    if (!Files.isDirectory(rules)) {
      throw new DeployException("cfn-guard rules not found: " + rules
          + " (run from the repository root or set --rules)");
    }
    return rules;
  }

  /** cfn-lint and the cfn-guard policy rules, run on each template before anything reaches AWS. */
  private TemplateChecks policyChecks(Path rules) {
    Path policy = requireRules(rules);
    return new TemplateChecks(List.of(LintCheck.keepingResults(tools), new GuardCheck(tools.cfnGuard(), policy)));
  }

  private String fingerprint(Path templates, Path rules) {
    StringBuilder inputs = new StringBuilder("cfn-lint " + tools.version("cfn-lint") + "\ncfn-guard "
        + tools.version("cfn-guard") + "\n");
    List<Path> files = new ArrayList<>(ProductStack.templates(templates));
    try (Stream<Path> walk = Files.walk(rules)) {
      walk.filter(Files::isRegularFile).sorted().forEach(files::add);
    } catch (IOException e) {
      throw new DeployException("cannot read the cfn-guard rules in " + rules + " (" + e + ")", e);
    }
    for (Path file : files) {
      inputs.append(file.toAbsolutePath()).append(' ').append(Checked.digest(file)).append('\n');
    }
    return ContentHash.sha256(inputs.toString().getBytes(StandardCharsets.UTF_8));
  }
}
