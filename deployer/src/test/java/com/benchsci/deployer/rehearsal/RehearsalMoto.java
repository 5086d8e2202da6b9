package com.benchsci.deployer.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.aws.SdkClients;
import com.benchsci.deployer.core.AwsClients;
import com.benchsci.deployer.core.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import software.amazon.awssdk.services.cloudformation.model.StackSummary;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * What the rehearsal tests share: the command line of a rehearsal against an emulator, a small real jar to deploy,
 * and a look at the emulator afterwards for anything of the rehearsal that is still there.
 */
final class RehearsalMoto {

  static final Path REPO = Path.of(System.getProperty("repo.root"));
  /** Shared by the tests, so that the check record lets only the first run cfn-lint and cfn-guard. */
  static final Path WORK = Path.of("target/rehearsal-test").toAbsolutePath();
  private static final Pattern ID = Pattern.compile("Rehearsal (hello-rh-[0-9a-f]{8}) on ");

  private RehearsalMoto() {}

  /** The arguments of {@code deployer rehearse} against {@code endpoint}, on the repository's templates and rules. */
  static List<String> rehearse(URI endpoint, String... more) {
    List<String> args = new ArrayList<>(List.of("rehearse", "--endpoint", endpoint.toString(),
        "--templates", REPO.resolve("cloudformation").toString(), "--rules", REPO.resolve("guard-rules").toString(),
        "--app-jar", appJar().toString(), "--work-dir", WORK.toString(), "--wait-minutes", "5"));
    args.addAll(List.of(more));
    return args;
  }

  /** A small jar (a zip with a manifest): the rehearsal copies it into its second version, entry by entry. */
  static synchronized Path appJar() {
    Path jar = WORK.resolve("app.jar");
    if (!Files.isRegularFile(jar)) {
      Manifest manifest = new Manifest();
      manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      try {
        Files.createDirectories(WORK);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
          out.putNextEntry(new ZipEntry("hello.txt"));
          out.write("Hello World from BenchSci!\n".getBytes(StandardCharsets.UTF_8));
          out.closeEntry();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return jar;
  }

  /** The id the rehearsal printed first. */
  static String idIn(String output) {
    Matcher m = ID.matcher(output);
    assertThat(m.find()).as("the rehearsal names its id:\n" + output).isTrue();
    return m.group(1);
  }

  static AwsClients clients(URI endpoint) {
    return SdkClients.connect(Target.emulator(endpoint, "us-east-1"));
  }

  /**
   * Everything of rehearsal {@code id} still on the emulator: stacks not deleted, buckets and their object versions,
   * addresses, the OIDC provider, VPCs, roles and instance profiles. (moto's DeleteStack keeps the bootstrap stack's
   * managed policies whatever anyone does: docs/rehearsal.md.)
   */
  static List<String> leftovers(URI endpoint, RehearsalId id) {
    List<String> left = new ArrayList<>();
    try (AwsClients aws = clients(endpoint)) {
      aws.cloudFormation().listStacksPaginator().stackSummaries().stream()
          .filter(s -> s.stackName().startsWith(id.appStack()) && !"DELETE_COMPLETE".equals(s.stackStatusAsString()))
          .map(StackSummary::stackName).forEach(s -> left.add("stack " + s));
      aws.s3().listBuckets().buckets().stream().filter(b -> id.owns(b.name())).forEach(b -> left.add("bucket "
          + b.name()));
      for (String bucket : List.of(id.appStack() + "-artifacts-123456789012-us-east-1",
          id.appStack() + "-guard-reports-123456789012-us-east-1")) {
        try {
          aws.s3().listObjectVersions(r -> r.bucket(bucket)).versions().forEach(v -> left.add("object version "
              + bucket + "/" + v.key() + " " + v.versionId()));
        } catch (NoSuchBucketException gone) {
          // as it should be
        }
      }
      aws.ec2().describeAddresses().addresses().forEach(a -> left.add("address " + a.publicIp()));
      aws.iam().listOpenIDConnectProviders().openIDConnectProviderList().stream()
          .filter(p -> p.arn().endsWith(id.oidcProviderHost())).forEach(p -> left.add("OIDC provider " + p.arn()));
      aws.ec2().describeVpcs().vpcs().stream().filter(v -> !v.isDefault()).forEach(v -> left.add("VPC "
          + v.vpcId()));
      aws.iam().listRoles().roles().stream().filter(r -> r.roleName().startsWith(id.appStack() + "-"))
          .forEach(r -> left.add("role " + r.roleName()));
      aws.iam().listInstanceProfiles().instanceProfiles().stream()
          .filter(p -> p.instanceProfileName().startsWith(id.appStack() + "-"))
          .forEach(p -> left.add("instance profile " + p.instanceProfileName()));
    }
    return left;
  }
}
