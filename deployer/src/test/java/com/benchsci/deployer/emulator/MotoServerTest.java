package com.benchsci.deployer.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.testing.TestJvm;
import com.benchsci.deployer.testing.Tools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

@Tag("emulator")
class MotoServerTest {

  /**
   * Each server is reached at the port it chose itself, so servers started side by side never share state; each
   * answers the APIs the deployer calls, and is gone once closed.
   */
  @Test
  void serversStartedTogetherEachAnswerOnTheirOwnPortAndStopWhenClosed() throws Exception {
    CompletableFuture<MotoServer> first = CompletableFuture.supplyAsync(
        () -> MotoServer.start(Tools.cache(), Path.of("target/moto-server-test-1.log")));
    CompletableFuture<MotoServer> second = CompletableFuture.supplyAsync(
        () -> MotoServer.start(Tools.cache(), Path.of("target/moto-server-test-2.log")));
    List<Long> pids = new ArrayList<>();
    try (MotoServer one = first.get(); MotoServer two = second.get();
        S3Client s3One = s3(one); S3Client s3Two = s3(two); CloudFormationClient cfn = cloudFormation(two)) {
      pids.addAll(List.of(one.pid(), two.pid()));
      assertThat(one.port()).isNotEqualTo(two.port());
      s3One.createBucket(b -> b.bucket("only-in-the-first"));
      assertThat(s3Two.listBuckets().buckets()).isEmpty();
      assertThat(s3One.listBuckets().buckets()).extracting(Bucket::name).containsExactly("only-in-the-first");
      assertThat(cfn.describeStacks().stacks()).isEmpty();
    }
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("moto %d once closed", pid)
          .isFalse();
    }
  }

  /**
   * A JVM stopped by SIGTERM (a Ctrl-C'd or killed build) takes its moto server with it; only a server it was told
   * to keep running (the local deploy's) survives it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"own", "keep"})
  void aServerEndsWithTheJvmThatStartedItUnlessKeptRunning(String mode) throws Exception {
    Process holder = new ProcessBuilder(TestJvm.command(MotoHolder.class, mode, "target/moto-holder-" + mode + ".log"))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    long motoPid;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
        StandardCharsets.UTF_8))) {
      motoPid = Long.parseLong(out.readLine().trim());
    }
    ProcessHandle moto = ProcessHandle.of(motoPid).orElseThrow();
    try {
      holder.destroy(); // SIGTERM
      assertThat(holder.waitFor(1, TimeUnit.MINUTES)).as("the holder JVM exited").isTrue();
      if (mode.equals("own")) {
        moto.onExit().get(1, TimeUnit.MINUTES);
        assertThat(moto.isAlive()).isFalse();
      } else {
        assertThat(MotoServer.answers(URI.create("http://127.0.0.1:" + portOf(mode)))).isTrue();
      }
    } finally {
      moto.destroyForcibly();
    }
  }

  private static int portOf(String mode) throws IOException {
    String log = Files.readString(Path.of("target/moto-holder-" + mode + ".log"),
        StandardCharsets.ISO_8859_1);
    Matcher port = Pattern.compile("Running on http://127\\.0\\.0\\.1:(\\d+)")
        .matcher(log);
    assertThat(port.find()).as("moto's log names its port").isTrue();
    return Integer.parseInt(port.group(1));
  }

  private static CloudFormationClient cloudFormation(MotoServer moto) {
    return CloudFormationClient.builder()
        .endpointOverride(moto.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .build();
  }

  private static S3Client s3(MotoServer moto) {
    return S3Client.builder()
        .endpointOverride(moto.endpoint())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .build();
  }
}
