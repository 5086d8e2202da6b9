package com.benchsci.deployer.testing;

import com.benchsci.deployer.aws.SdkClients;
import com.benchsci.deployer.core.Target;
import com.benchsci.deployer.deploy.Connection;
import com.benchsci.deployer.emulator.Quirks;
import java.net.URI;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * An emulator's API as a test looks at it, around the deployer: each call gives a new client configured as the
 * deployer's own (the caller closes it), and {@link #connection()} is what a deploy gets.
 */
public record EmulatorApi(Target target) {

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
    return SdkClients.connect(target).cloudFormation();
  }

  public S3Client s3() {
    return SdkClients.connect(target).s3();
  }

  public SsmClient ssm() {
    return SdkClients.connect(target).ssm();
  }

  public Ec2Client ec2() {
    return SdkClients.connect(target).ec2();
  }
}
