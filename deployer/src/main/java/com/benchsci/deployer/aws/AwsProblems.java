package com.benchsci.deployer.aws;

import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.Target;
import java.net.ConnectException;
import java.net.UnknownHostException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** AWS SDK failures a user can act on, as the one line the CLI and the goals print. */
public final class AwsProblems {

  private AwsProblems() {}

  /** The client-side failures a user can fix: an endpoint that is down or hung, missing credentials. */
  public static DeployException of(Target target, SdkClientException e) {
    String where = target.isEmulator() ? target.endpoint().toString() : "AWS in " + target.region();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
        return new DeployException("no answer from " + where + " within " + SdkClients.CALL_LIMIT.toSeconds()
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

  /** AWS saying no (a refused or invalid request), in one line with its error code. */
  public static String refused(AwsServiceException e) {
    return "AWS refused the request (" + e.awsErrorDetails().errorCode() + "): " + e.awsErrorDetails().errorMessage();
  }
}
