package com.benchsci.deployer.aws;

import com.benchsci.deployer.DeployException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Where the deploy goes: real AWS through the default credential and region chains, or an emulator endpoint with
 * dummy credentials. Both get the same clients, so the local deploy exercises the prod code path.
 */
public record AwsTarget(URI endpoint, Region region, AwsCredentialsProvider credentials) {

  /** Retries beyond the SDK default: a deploy makes many calls and CloudFormation throttles readily. */
  private static final int MAX_ATTEMPTS = 8;

  /**
   * An endpoint that accepts connections and never answers must fail fast and say so: one attempt may take this
   * long (CloudFormation answers in well under a second)...
   */
  private static final Duration ATTEMPT_LIMIT = Duration.ofSeconds(5);

  /** ...and one call, retries and back-off included, this long, so a hung endpoint fails within 30 s. */
  static final Duration CALL_LIMIT = Duration.ofSeconds(25);

  public static AwsTarget aws() {
    Region region;
    try {
      region = DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (SdkClientException e) {
      throw new DeployException("no AWS region configured: set AWS_REGION (or a region in the AWS profile)", e);
    }
    return new AwsTarget(null, region, DefaultCredentialsProvider.builder().build());
  }

  /** An AWS API emulator such as moto: any credentials are accepted, so fixed dummy ones are used. */
  public static AwsTarget emulator(URI endpoint) {
    String region = System.getenv("AWS_REGION");
    return new AwsTarget(endpoint, Region.of(region == null || region.isBlank() ? "us-east-1" : region),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
  }

  public boolean isEmulator() {
    return endpoint != null;
  }

  public String describe() {
    return isEmulator() ? "emulator at " + endpoint + " (" + region.id() + ")" : "AWS " + region.id();
  }

  public CloudFormationClient cloudFormation() {
    return configured(CloudFormationClient.builder()).build();
  }

  public S3Client s3() {
    S3ClientBuilder builder = configured(S3Client.builder());
    if (endpoint != null) {
      // An emulator on 127.0.0.1 has no per-bucket host names.
      builder.forcePathStyle(true);
    }
    return builder.build();
  }

  public SsmClient ssm() {
    return configured(SsmClient.builder()).build();
  }

  public Ec2Client ec2() {
    return configured(Ec2Client.builder()).build();
  }

  /** Every client the same way: this region and credentials, the retry and time limits, the emulator if any. */
  private <B extends AwsClientBuilder<B, C>, C> B configured(B builder) {
    builder.region(region).credentialsProvider(credentials).overrideConfiguration(overrides());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder;
  }

  private static ClientOverrideConfiguration overrides() {
    return ClientOverrideConfiguration.builder()
        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build())
        .apiCallAttemptTimeout(ATTEMPT_LIMIT)
        .apiCallTimeout(CALL_LIMIT)
        .build();
  }

  /** One line for the client-side failures a user can fix: an endpoint that is down or hung, credentials. */
  public DeployException problem(SdkClientException e) {
    String where = isEmulator() ? endpoint.toString() : "AWS in " + region.id();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
        return new DeployException("no answer from " + where + " within " + CALL_LIMIT.toSeconds()
            + " s (it accepts connections but does not respond): check the endpoint", e);
      }
      if (t instanceof ConnectException || t instanceof UnknownHostException) {
        return new DeployException("cannot reach " + where + " (" + t.getMessage() + "): check the network or"
            + " --endpoint", e);
      }
    }
    String message = String.valueOf(e.getMessage());
    if (message.contains("Unable to load credentials")) {
      return new DeployException("no AWS credentials found: configure the default chain (AWS_PROFILE, SSO, OIDC"
          + " web identity, instance role); keys are never read from the repository", e);
    }
    return new DeployException(where + ": " + message.lines().findFirst().orElse(message), e);
  }
}
