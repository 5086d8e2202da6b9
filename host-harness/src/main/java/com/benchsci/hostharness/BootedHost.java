package com.benchsci.hostharness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * The host stack.yaml describes, booted in a container with the template's cfn-init content applied from this machine
 * (stand-in values for what only a stack knows: {@link Intrinsics#stub}) and the jar this build made serving the
 * greeting: what the host boot test checks and the rollout bench measures. {@link DeployedHost} boots it the way a
 * user's deploy does instead.
 */
public record BootedHost(NspawnContainer host, HostTemplate template, Path jar) implements AutoCloseable {

  public static final String GREETING = "Hello World from BenchSci!";
  /** Boot or restart to greeting takes seconds; this bound only stops a broken host from hanging the build. */
  public static final Duration GREETING_DEADLINE = Duration.ofSeconds(60);

  /** Boots it, or aborts the calling test class (with a loud line) where this machine cannot run systemd-nspawn. */
  public static BootedHost boot(Path repo, String who) {
    return boot(repo, who, 0);
  }

  /** Like {@link #boot(Path, String)}, with the whole host limited to {@code memoryBytes} as an instance's RAM. */
  public static BootedHost boot(Path repo, String who, long memoryBytes) {
    requireContainers(who);
    long started = System.nanoTime();
    Path jar = appJar(repo);
    HostTemplate template = HostTemplate.read(repo.resolve("cloudformation/stack.yaml"));
    // Refuses unknown keys now, before anything boots.
    CfnInitApplier applier = CfnInitApplier.of(template, ArtifactSource.file(jar));

    Path rootfs = DebianRootFs.cached();
    long booting = System.nanoTime();
    // A name of its own: concurrent builds on one machine must not share nspawn's per-machine state.
    NspawnContainer host = NspawnContainer.boot(rootfs, NspawnContainer.Spec.named("hello-host-boot-"
        + ProcessHandle.current().pid()).memoryLimit(memoryBytes));
    BootedHost booted = new BootedHost(host, template, jar);
    try {
      System.out.printf("[host-boot] container up (PID 1 is %d here) in %.1f s%n", host.leader(), seconds(booting));
      applier.applyTo(host);
      booted.awaitGreeting("the greeting on port 80 after cfn-init");
    } catch (RuntimeException | AssertionError e) {
      host.close();
      throw e;
    }
    System.out.printf("[host-boot] boot + cfn-init to greeting: %.1f s (setup total %.1f s)%n", seconds(booting),
        seconds(started));
    return booted;
  }

  /** Aborts the calling test class (with a loud line) where this machine cannot boot a container. */
  public static void requireContainers(String who) {
    String unsupported = DebianRootFs.whyUnsupported();
    if (unsupported != null) {
      System.out.println("!!!!! " + who + " SKIPPED: this machine cannot run systemd-nspawn: " + unsupported + " !!!!!");
      Assumptions.abort("cannot run systemd-nspawn here: " + unsupported);
    }
  }

  /** The app jar this build made. */
  public static Path appJar(Path repo) {
    Path jar = repo.resolve("vertx-app/target/vertx-app.jar");
    assertThat(jar).as("the app jar this build makes; build with ./mvnw verify, which packages vertx-app first")
        .isRegularFile();
    return jar;
  }

  /** The template's cfn-init content with {@code appJar} standing in for the artifact: a cfn-hup run for that jar. */
  public CfnInitApplier cfnInit(Path appJar) {
    return CfnInitApplier.of(template, ArtifactSource.file(appJar));
  }

  /** Polls GET http://127.0.0.1/ inside the host until it answers the greeting. */
  public void awaitGreeting(String what) {
    awaitGreeting(host, what);
  }

  /** Polls GET http://127.0.0.1/ inside {@code host} until it answers the greeting. */
  public static void awaitGreeting(Shell host, String what) {
    NspawnContainer.awaitTrue(what, GREETING_DEADLINE, () -> {
      Cmd.Result get = host.exec(Duration.ofSeconds(30), "curl", "--silent", "--fail", "--max-time", "2",
          "http://127.0.0.1/");
      return get.ok() && get.out().contains(GREETING);
    });
  }

  /** The jar with one more entry: another build of the same app, as a new ArtifactKey would bring. */
  public static Path variantOf(Path jar, String marker) {
    try {
      Path variant = Files.createTempFile("hello-host-" + marker, ".jar");
      variant.toFile().deleteOnExit();
      try (ZipFile in = new ZipFile(jar.toFile());
          ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(variant))) {
        for (ZipEntry entry : Collections.list(in.entries())) {
          out.putNextEntry(new ZipEntry(entry.getName()));
          in.getInputStream(entry).transferTo(out);
        }
        out.putNextEntry(new ZipEntry("META-INF/hello-host-" + marker + ".txt"));
        out.write(marker.getBytes(StandardCharsets.UTF_8));
      }
      return variant;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a variant of " + jar, e);
    }
  }

  /** The SHA-256 of a file of this machine, in hex (what sha256sum prints). */
  public static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  @Override
  public void close() {
    host.close();
  }
}
