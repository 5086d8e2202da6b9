package com.benchsci.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.deployer.core.Environment;
import com.benchsci.deployer.emulator.MotoServer;
import com.benchsci.deployer.launch.Invocation;
import com.benchsci.deployer.tools.ToolCache;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.maven.model.Build;
import org.apache.maven.model.Plugin;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The goals in this JVM, for what the integration tests (src/it, run by maven-invoker-plugin) do not show: a
 * review against a real moto server that leaves no thread behind, the deployer's one line on a failed deploy, and
 * the check record. The smallest pair of templates the deployer takes and the policy accepts (src/test/resources/
 * minimal-pair: the real ones are checked once per build, by cloudformation's TemplatesCheckTest), the repository's
 * rules, the real cfn-lint and cfn-guard; Maven's injection is done by hand (the fields it would set).
 */
@Tag("emulator")
class GoalsTest {

  private static final Path REPO = Path.of(System.getProperty("repo.root")).toAbsolutePath().normalize();
  private static MotoServer moto;

  @TempDir
  Path dir;

  private final List<String> log = new ArrayList<>();
  private final HashMap<Object, Object> pluginContext = new HashMap<>();

  @BeforeAll
  static void startMoto() {
    ToolCache tools = new ToolCache(Invocation.of(Path.of("").toAbsolutePath()).toolCache());
    moto = MotoServer.start(tools, Path.of("target/moto-goals-test.log"));
  }

  @AfterAll
  static void stopMoto() {
    moto.close();
  }

  @Test
  void checkThenReviewWritesTheReviewChecksOnceAndLeavesNoThreadBehind() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Path review = dir.resolve("review.md");

    configure(new CheckMojo()).execute();
    ReviewMojo reviewGoal = configure(new ReviewMojo());
    reviewGoal.endpoint = moto.endpoint().toString();
    reviewGoal.reviewFile = review.toFile();
    reviewGoal.execute();

    assertThat(review).content().contains("## CloudFormation change set review", "### Stack `hello-host-bootstrap`");
    assertThat(log).contains("[info] The templates are byte for byte the ones checked earlier in this build:"
        + " not checked again.");
    // The check goal's two lines; the review, which runs no check, claims none.
    assertThat(log).filteredOn(l -> l.startsWith("[info] Checked ")).hasSize(2);
    assertThat(log).allMatch(l -> !l.contains("\u001b"), "no ANSI escape in Maven's log");
    assertThat(threadsLeftBehind(before)).isEmpty();
  }

  @Test
  void aFailingDeployFailsTheGoalWithTheDeployersOneLine() throws Exception {
    configure(new CheckMojo()).execute();
    DeployMojo deploy = configure(new DeployMojo());
    deploy.execute = true;
    deploy.endpoint = "http://127.0.0.1:" + closedPort();

    assertThatThrownBy(deploy::execute).isInstanceOf(MojoFailureException.class)
        .hasMessageStartingWith("cannot reach " + deploy.endpoint + " (")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aPassIsRecordedAndOnlyOtherBytesAreCheckedAgain() throws Exception {
    Path templates = minimalPair();
    CheckMojo first = configure(new CheckMojo());
    first.templates = templates.toFile();
    first.execute();
    CheckMojo second = configure(new CheckMojo());
    second.templates = templates.toFile();
    second.execute();
    Path stack = templates.resolve("stack.yaml");
    Files.writeString(stack, Files.readString(stack) + "# one more byte\n");
    CheckMojo third = configure(new CheckMojo());
    third.templates = templates.toFile();
    third.execute();

    assertThat(log).filteredOn(l -> l.startsWith("[info] Checked ") || l.contains("not run again")).containsExactly(
        "[info] Checked " + templates.resolve("bootstrap.yaml") + ": cfn-lint and cfn-guard pass.",
        "[info] Checked " + stack + ": cfn-lint and cfn-guard pass.",
        "[info] cfn-lint and cfn-guard passed these exact templates, rules and tool versions before ("
            + dir.resolve("target/hello-host-check.sha256") + "): not run again.",
        "[info] Checked " + templates.resolve("bootstrap.yaml") + ": cfn-lint and cfn-guard pass.",
        "[info] Checked " + stack + ": cfn-lint and cfn-guard pass.");
  }

  @Test
  void aModuleThatDoesNotDeclareThePluginIsLeftAlone() throws Exception {
    CheckMojo check = configure(new CheckMojo());
    check.project.getBuild().getPlugins().clear();
    check.project.getBuild().flushPluginMap();
    check.templates = dir.resolve("nothing-here").toFile();

    check.execute();

    assertThat(log).containsExactly("[info] Nothing to do in cloudformation: it does not declare hello-host-maven-plugin");
  }

  @Test
  void theRehearsalRefusesProdInOneLineAndItsCleanUpGoalRunsOnItsOwn() throws Exception {
    RehearseMojo prod = configure(new RehearseMojo());
    prod.env = Environment.prod;
    assertThatThrownBy(prod::execute).isInstanceOf(MojoFailureException.class)
        .hasMessageStartingWith("the rehearsal never runs on prod (--env prod / -Dcfn.env=prod)")
        .hasMessageNotContaining("\n");

    RehearseMojo cleanup = configure(new RehearseMojo());
    cleanup.endpoint = moto.endpoint().toString();
    cleanup.cleanup = "hello-rh-0a1b2c3d";
    cleanup.execute();
    assertThat(log).anyMatch(l -> l.matches("\\[info\\] +12  Everything the rehearsal made is deleted +passed"
        + " +nothing to delete; nothing left .*"));
  }

  /** The minimal pair with its parameter files, in this test's folder (the test jar holds them as resources). */
  private Path minimalPair() {
    Path templates = dir.resolve("templates");
    try {
      if (!Files.isDirectory(templates)) {
        Files.createDirectories(templates);
        for (String name : List.of("bootstrap.yaml", "stack.yaml", "bootstrap-local.json", "stack-local.json")) {
          try (InputStream in = GoalsTest.class.getResourceAsStream("/minimal-pair/" + name)) {
            Files.copy(in, templates.resolve(name));
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return templates;
  }

  /** What Maven injects, as cloudformation/pom.xml configures it. */
  private <T extends StacksMojo> T configure(T mojo) {
    PluginDescriptor descriptor = new PluginDescriptor();
    descriptor.setGroupId("com.benchsci");
    descriptor.setArtifactId("hello-host-maven-plugin");
    Plugin declared = new Plugin();
    declared.setGroupId("com.benchsci");
    declared.setArtifactId("hello-host-maven-plugin");
    MavenProject project = new MavenProject();
    project.setArtifactId("cloudformation");
    project.setFile(REPO.resolve("cloudformation/pom.xml").toFile());
    project.getModel().setBuild(new Build());
    project.getBuild().setDirectory(dir.resolve("target").toString());
    project.getBuild().addPlugin(declared);
    mojo.project = project;
    mojo.plugin = descriptor;
    mojo.templates = minimalPair().toFile();
    mojo.rules = REPO.resolve("guard-rules").toFile();
    if (mojo instanceof RehearseMojo rehearse) {
      rehearse.env = Environment.local;
      rehearse.appJar = appJar();
      rehearse.workDir = dir.resolve("rehearsal").toFile();
      rehearse.waitMinutes = 2;
    }
    if (mojo instanceof StackChangeMojo change) {
      change.env = Environment.local;
      change.appJar = appJar();
      change.reviewFile = dir.resolve("review.md").toFile();
      change.waitMinutes = 2;
      change.reviewedDigests = "any";
    }
    ((AbstractMojo) mojo).setPluginContext(pluginContext);
    mojo.setLog(new RecordingLog());
    return mojo;
  }

  private File appJar() {
    Path jar = dir.resolve("app.jar");
    try {
      if (!Files.exists(jar)) {
        Files.writeString(jar, "not really a jar, but bytes with a digest");
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return jar.toFile();
  }

  /**
   * Threads started since {@code before} that are still alive once asynchronous shutdowns had time to end. The
   * JDK's own "process reaper" pool (it waits for cfn-lint, cfn-guard; idle ones end after a minute) is not ours.
   */
  private static Set<String> threadsLeftBehind(Set<Thread> before) throws InterruptedException {
    Set<Thread> started = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
    started.removeAll(before);
    started.removeIf(t -> t.getName().equals("process reaper"));
    for (Thread t : started) {
      t.join(10_000);
    }
    return started.stream().filter(Thread::isAlive).map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : ""))
        .collect(Collectors.toSet());
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Maven's log as the lines a user sees, with their level. */
  private final class RecordingLog extends SystemStreamLog {
    @Override
    public void info(CharSequence content) {
      log.add("[info] " + content);
    }
  }
}
