package com.benchsci.deployer.testing;

import com.benchsci.deployer.aws.SdkClients;
import com.benchsci.deployer.core.Target;
import com.benchsci.deployer.deploy.Connection;
import com.benchsci.deployer.emulator.Quirks;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * An emulator's API as a test looks at it, around the deployer. {@link #connection()} is what a deploy gets: clients
 * configured as the deployer's own (against an emulator 25 s a call, throttling and 5xx answers retried). The test's
 * own calls, setting a scene or looking at the result, get patient clients instead: one attempt, never sent again
 * (moto keeps no ClientToken, so a call sent again can be done twice), however long a busy machine's moto takes, up
 * to two minutes. Each call gives a new client; the caller closes it.
 */
public record EmulatorApi(Target target) {

  private static final Duration PATIENCE = Duration.ofMinutes(2);

  public static EmulatorApi at(URI endpoint) {
    return new EmulatorApi(Target.emulator(endpoint, "us-east-1"));
  }

  public URI endpoint() {
    return target.endpoint();
  }

  public Connection connection() {
    return new Connection(SdkClients.connect(target), Quirks.of(target));
  }

  public CloudFormationClient cloudFormation() {
    return patient(CloudFormationClient.builder()).build();
  }

  public S3Client s3() {
    return patient(S3Client.builder()).forcePathStyle(true).build();
  }

  public SsmClient ssm() {
    return patient(SsmClient.builder()).build();
  }

  public Ec2Client ec2() {
    return patient(Ec2Client.builder()).build();
  }

  private <B extends AwsClientBuilder<B, C>, C> B patient(B builder) {
    return builder.region(Region.of(target.region())).endpointOverride(target.endpoint())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(1).build())
            .apiCallAttemptTimeout(PATIENCE).apiCallTimeout(PATIENCE).build());
  }
}
