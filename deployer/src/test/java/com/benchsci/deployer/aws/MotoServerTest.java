package com.benchsci.deployer.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.tools.ToolCache;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

class MotoServerTest {

  @Test
  void startsAnsweringTheCloudFormationApiAndStops() {
    MotoServer moto = MotoServer.start(ToolCache.standard(), Path.of("target/moto-server-test.log"));
    try (moto;
        CloudFormationClient cfn = CloudFormationClient.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
            .build()) {
      assertThat(cfn.describeStacks().stacks()).isEmpty();
    }
    assertThat(ProcessHandle.of(moto.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  /** Each server is reached at the port it chose itself, so servers started side by side never share state. */
  @Test
  void serversStartedTogetherEachAnswerOnTheirOwnPort() throws Exception {
    CompletableFuture<MotoServer> first = CompletableFuture.supplyAsync(
        () -> MotoServer.start(ToolCache.standard(), Path.of("target/moto-server-test-1.log")));
    CompletableFuture<MotoServer> second = CompletableFuture.supplyAsync(
        () -> MotoServer.start(ToolCache.standard(), Path.of("target/moto-server-test-2.log")));
    try (MotoServer one = first.get(); MotoServer two = second.get();
        S3Client s3One = s3(one); S3Client s3Two = s3(two)) {
      assertThat(one.port()).isNotEqualTo(two.port());
      s3One.createBucket(b -> b.bucket("only-in-the-first"));
      assertThat(s3Two.listBuckets().buckets()).isEmpty();
      assertThat(s3One.listBuckets().buckets()).extracting(Bucket::name).containsExactly("only-in-the-first");
    }
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
