package com.benchsci.deployer.aws;

import com.benchsci.deployer.core.AwsClients;
import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The SDK clients for a {@link Target}, all configured one way: its region; credentials from the default chain on
 * AWS, fixed dummy ones on an emulator (any are accepted there); the retry and time limits; the emulator's
 * endpoint. AWS and an emulator get the same clients, so the local deploy exercises the prod code path.
 */
public final class SdkClients implements AwsClients {

  /** Retries beyond the SDK default: a deploy makes many calls and CloudFormation throttles readily. */
  private static final int MAX_ATTEMPTS = 8;

  /**
   * An endpoint that accepts connections and never answers must fail fast and say so: one attempt may take this
   * long (CloudFormation answers in well under a second)...
   */
  public static final Duration ATTEMPT_LIMIT = Duration.ofSeconds(5);

  /** ...and one call, retries and back-off included, this long, so a hung endpoint fails within 30 s. */
  static final Duration CALL_LIMIT = Duration.ofSeconds(25);

  private final Target target;
  private final AwsCredentialsProvider credentials;
  private final List<SdkAutoCloseable> open = new ArrayList<>();
  private CloudFormationClient cloudFormation;
  private S3Client s3;
  private SsmClient ssm;
  private Ec2Client ec2;
  private IamClient iam;

  private SdkClients(Target target, AwsCredentialsProvider credentials) {
    this.target = target;
    this.credentials = credentials;
  }

  /** Clients for {@code target}; nothing is called until a client is used. */
  public static SdkClients connect(Target target) {
    return new SdkClients(target, target.isEmulator()
        ? StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))
        : DefaultCredentialsProvider.builder().build());
  }

  /** AWS in the region of the default region chain (AWS_REGION, the profile, instance metadata). */
  public static Target aws() {
    try {
      return Target.aws(DefaultAwsRegionProviderChain.builder().build().getRegion().id());
    } catch (SdkClientException e) {
      throw new DeployException("no AWS region configured: set AWS_REGION (or a region in the AWS profile)", e);
    }
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public synchronized CloudFormationClient cloudFormation() {
    return cloudFormation = made(cloudFormation, () -> configured(CloudFormationClient.builder()).build());
  }

  @Override
  public synchronized S3Client s3() {
    return s3 = made(s3, () -> {
      S3ClientBuilder builder = configured(S3Client.builder());
      // An emulator on 127.0.0.1 has no per-bucket host names.
      return builder.forcePathStyle(target.isEmulator()).build();
    });
  }

  @Override
  public synchronized SsmClient ssm() {
    return ssm = made(ssm, () -> configured(SsmClient.builder()).build());
  }

  @Override
  public synchronized Ec2Client ec2() {
    return ec2 = made(ec2, () -> configured(Ec2Client.builder()).build());
  }

  @Override
  public synchronized IamClient iam() {
    // IAM's endpoint rules send every region of a partition to the partition's global endpoint.
    return iam = made(iam, () -> configured(IamClient.builder()).build());
  }

  @Override
  public DeployException explain(SdkClientException failure) {
    return AwsProblems.of(target, failure);
  }

  /** Closes every client made, then the credentials provider (which may hold its own STS or SSO client). */
  @Override
  public synchronized void close() {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    open.clear();
    if (credentials instanceof SdkAutoCloseable closeable) {
      closeable.close();
    }
  }

  private <C extends SdkAutoCloseable> C made(C existing, Supplier<C> make) {
    if (existing != null) {
      return existing;
    }
    C client = make.get();
    open.add(client);
    return client;
  }

  /**
   * On AWS a slow attempt is sent again to another host, and the ClientToken of a change set makes that the same
   * request. An emulator is one local process, so sending again reaches nothing healthier, and moto keeps no
   * ClientToken: a CreateChangeSet sent again makes a second change set on a second stack of the same name
   * (docs/aws-contract.md). There one attempt may take the whole call; a hung emulator still fails at the call limit.
   */
  private Duration attemptLimit() {
    return target.isEmulator() ? CALL_LIMIT : ATTEMPT_LIMIT;
  }

  /** Every client the same way: this region and credentials, the retry and time limits, the emulator if any. */
  private <B extends AwsClientBuilder<B, C>, C> B configured(B builder) {
    builder.region(Region.of(target.region())).credentialsProvider(credentials).overrideConfiguration(
        ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build())
            .apiCallAttemptTimeout(attemptLimit())
            .apiCallTimeout(CALL_LIMIT)
            .build());
    if (target.isEmulator()) {
      builder.endpointOverride(target.endpoint());
    }
    return builder;
  }
}
