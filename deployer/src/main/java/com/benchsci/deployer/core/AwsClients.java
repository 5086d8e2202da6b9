package com.benchsci.deployer.core;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The SDK clients of one run against one {@link Target}, each made when first asked for and all closed together
 * (with whatever the credentials hold). Built by the AWS adapter; everything below it only uses them.
 */
public interface AwsClients extends AutoCloseable {

  Target target();

  CloudFormationClient cloudFormation();

  S3Client s3();

  SsmClient ssm();

  Ec2Client ec2();

  /** IAM, a global service: on AWS its one endpoint, whatever the target's region. */
  IamClient iam();

  /** A client-side failure of these clients (endpoint down or hung, no credentials) as the one line to print. */
  DeployException explain(SdkClientException failure);

  @Override
  void close();
}
