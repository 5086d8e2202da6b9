package com.benchsci.hostharness;

import com.benchsci.hostharness.standin.CloudFormationStandIn;
import com.benchsci.hostharness.standin.StandIns;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The host of a stack deployed the way a user deploys it: the deployer's CLI ({@code deployer/target/deployer.jar}, a
 * process of its own) deploys both stacks to the emulator, and a container on a {@link TestNetwork} boots as the
 * instance would: its UserData (from the deployed stack, evaluated with the stack's values) runs under bash and calls
 * /opt/aws/bin/cfn-init, which reads the metadata from the CloudFormation stand-in and fetches the jar from the
 * emulator's S3; cfn-init starts cfn-hup, which from then on watches the stack's metadata. Another {@link #deploy} of a
 * new jar reaches the host only through cfn-hup. The host's ACME CA is a {@link HostCa} on the same network, named
 * by the stack's {@code AcmeDirectory} parameter in the deployer's parameter file (a copy of the repository's with that
 * one parameter added), as a user names Let's Encrypt's.
 *
 * <p>Real: the deployer, the templates, moto's CloudFormation and S3 (stacks, parameters, the uploaded jar), systemd,
 * the unit files, hello-rollout, the JVM, Pebble. Stand-ins ({@link StandIns}, {@link CloudFormationStandIn},
 * {@link HostCa}): cfn-init, cfn-hup and cfn-signal on the host, DescribeStackResource's Metadata, Pebble for Let's
 * Encrypt and the address IMDS would report; Debian instead of Amazon Linux 2023.
 */
public final class DeployedHost implements AutoCloseable {

  /** The stack the deployer creates for the host (its bootstrap stack is hello-host-bootstrap). */
  public static final String STACK = "hello-host";
  private static final Duration DEPLOY_LIMIT = Duration.ofMinutes(5);
  private static final Duration USER_DATA_LIMIT = Duration.ofMinutes(5);

  private final Path repo;
  private final Path work;
  private final TestNetwork network;
  private final Path templates;
  private HostCa ca;
  private Emulator emulator;
  private CloudFormationStandIn cloudFormation;
  private NspawnContainer host;

  private DeployedHost(Path repo, Path work, TestNetwork network) {
    this.repo = repo;
    this.work = work;
    this.network = network;
    this.templates = work.resolve("templates");
  }

  /**
   * Deploys {@code jar} and boots the host from the deployed stack (deploy and boot at the same time); aborts the
   * calling test class where this machine cannot boot a container. {@code name} names the container.
   */
  public static DeployedHost deploy(Path repo, String name, Path jar) {
    BootedHost.requireContainers(name);
    Path work;
    try {
      work = Files.createDirectories(repo.resolve("cloudformation/target/" + name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DeployedHost deployed = new DeployedHost(repo, work, TestNetwork.create());
    try {
      deployed.ca = HostCa.start(deployed.network, Files.createDirectories(work.resolve("ca")));
      deployed.writeTemplates();
      deployed.emulator = Emulator.start(deployed.network.machineAddress(), work.resolve("moto.log"));
      deployed.cloudFormation = CloudFormationStandIn.start(deployed.network.machineAddress(),
          deployed.emulator.endpoint(), "us-east-1");
      CompletableFuture<Void> firstDeploy = CompletableFuture.runAsync(() -> deployed.deploy(jar));
      Path rootfs = DebianRootFs.cached();
      deployed.host = NspawnContainer.boot(rootfs, deployed.ca.addTo(StandIns.install(NspawnContainer.Spec.named(name)
          .network(deployed.network), "us-east-1", deployed.cloudFormation.endpoint(), deployed.emulator.endpoint())));
      deployed.ca.trustInside(deployed.host);
      firstDeploy.join();
      deployed.runUserData();
      return deployed;
    } catch (IOException e) {
      deployed.close();
      throw new UncheckedIOException(e);
    } catch (CompletionException e) {
      deployed.close();
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    } catch (RuntimeException | Error e) {
      deployed.close();
      throw e;
    }
  }

  /** Deploys {@code jar} with the deployer's CLI (cfn-lint and cfn-guard included), as a user does. */
  public void deploy(Path jar) {
    long started = System.nanoTime();
    String label = jar.getFileName().toString();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    // The build's flags for the JVMs tests start (C1 alone, serial GC: the root pom's test.jvm.flags), if any.
    String flags = System.getProperty("test.jvm.flags", "").strip();
    if (!flags.isEmpty()) {
      command.addAll(List.of(flags.split("\\s+")));
    }
    command.addAll(List.of("-jar", repo.resolve("deployer/target/deployer.jar").toString(),
        "--templates", templates.toString(), "--rules", repo.resolve("guard-rules").toString(),
        "--app-jar", jar.toString(), "--endpoint", emulator.endpoint().toString(),
        "--review-file", work.resolve("review.md").toString(), "--wait-minutes", "5"));
    Cmd.runShowingProgress("[deployer " + label + "] ", DEPLOY_LIMIT, command);
    System.out.printf("[deployed-host] deployed %s in %.1f s%n", label, BootedHost.seconds(started));
  }

  /**
   * The repository's templates and parameter files, the app stack's with the parameters that point the host at its
   * CA: what a user who sets {@code AcmeDirectory} deploys.
   */
  private void writeTemplates() throws IOException {
    Path source = repo.resolve("cloudformation");
    Files.createDirectories(templates);
    for (String file : List.of("bootstrap.yaml", "bootstrap-local.json", "stack.yaml")) {
      Files.copy(source.resolve(file), templates.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    ObjectMapper json = new ObjectMapper();
    ArrayNode parameters = (ArrayNode) json.readTree(source.resolve("stack-local.json").toFile());
    ca.parameters().forEach((key, value) -> parameters.addObject().put("ParameterKey", key)
        .put("ParameterValue", value));
    json.writerWithDefaultPrettyPrinter().writeValue(templates.resolve("stack-local.json").toFile(), parameters);
  }

  /** The instance's first boot: its UserData as a script run by bash as root; cfn-signal must report exit 0. */
  private void runUserData() {
    long started = System.nanoTime();
    String userData = cloudFormation.hostTemplate(STACK).userData();
    Path script = work.resolve("user-data.sh");
    try {
      Files.writeString(script, userData);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String at = "/var/lib/cloud/instance/scripts/part-001";
    Cmd.Result placed = host.execWithInput(Duration.ofSeconds(30), script, "/bin/sh", "-c",
        "mkdir -p \"$(dirname \"$1\")\" && cat > \"$1\" && chmod 0700 \"$1\"", "place", at);
    Cmd.Result run = host.exec(USER_DATA_LIMIT, "/bin/bash", at);
    Cmd.Result signals = host.exec(Duration.ofSeconds(10), "cat", StandIns.SIGNALS);
    List<String> signalled = signals.out().strip().lines().toList();
    if (!placed.ok() || signalled.isEmpty() || !signalled.get(signalled.size() - 1).startsWith("-e 0 ")) {
      throw new IllegalStateException("the host's UserData did not signal success (cfn-signal -e 0):\n"
          + placed.describe() + "\n" + run.describe() + "\n--- cfn-signal stand-in ---\n" + signals.describe()
          + "\n--- /var/log/cfn-init.log ---\n" + host.exec(Duration.ofSeconds(10), "cat", "/var/log/cfn-init.log")
          .out());
    }
    System.out.printf("[deployed-host] UserData (cfn-init from the stack's metadata, health check, cfn-signal -e 0)"
        + " in %.1f s%n", BootedHost.seconds(started));
  }

  public NspawnContainer host() {
    return host;
  }

  public CloudFormationStandIn cloudFormation() {
    return cloudFormation;
  }

  public TestNetwork network() {
    return network;
  }

  /** The host's ACME CA. */
  public HostCa ca() {
    return ca;
  }

  /** Stops the container, the stand-in, the emulator, the CA and the network, in that order. */
  @Override
  public void close() {
    if (host != null) {
      host.close();
    }
    if (cloudFormation != null) {
      cloudFormation.close();
    }
    if (emulator != null) {
      emulator.close();
    }
    if (ca != null) {
      ca.close();
    }
    network.close();
  }
}
