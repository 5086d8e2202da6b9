package com.benchsci.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

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
}
