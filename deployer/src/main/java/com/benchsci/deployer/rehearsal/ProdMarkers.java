package com.benchsci.deployer.rehearsal;

import com.benchsci.deployer.core.AwsClients;
import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.ProductStack;
import com.benchsci.deployer.stack.Stacks;
import java.io.PrintWriter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.iam.model.OpenIDConnectProviderListEntry;

/**
 * What marks the prod account, so that credentials of prod given by mistake are refused before anything is made:
 * the account holds the CircleCI OIDC provider that bootstrap-prod.json names (IAM is account-wide, so this holds in
 * every region), or the region holds the prod app stack ({@code hello-host} with Environment {@code prod}). A sandbox
 * account has neither; the local emulator is never asked (a local deploy makes the same provider there, and nothing
 * on it is worth protecting).
 */
final class ProdMarkers {

  private ProdMarkers() {}

  /** Throws the one line that says which marker was found; {@code prodOrgId} is bootstrap-prod.json's. */
  static void refuse(AwsClients aws, String prodOrgId, PrintWriter out) {
    String provider = "oidc.circleci.com/org/" + prodOrgId;
    for (OpenIDConnectProviderListEntry entry : aws.iam().listOpenIDConnectProviders().openIDConnectProviderList()) {
      if (entry.arn().endsWith(":oidc-provider/" + provider)) {
        throw new DeployException("this is the prod account: it holds the CircleCI OIDC provider " + entry.arn()
            + " that cloudformation/bootstrap-prod.json names; the rehearsal runs only on a sandbox account");
      }
    }
    String app = ProductStack.APP.stackName();
    Stack stack = new Stacks(aws.cloudFormation(), out).find(app);
    if (stack != null && stack.parameters().stream()
        .anyMatch(p -> "Environment".equals(p.parameterKey()) && "prod".equals(p.parameterValue()))) {
      throw new DeployException("this is the prod account: region " + aws.target().region() + " holds stack " + app
          + " with Environment prod; the rehearsal runs only on a sandbox account");
    }
    out.printf("Not the prod account: no CircleCI OIDC provider %s, no prod stack %s in %s.%n", provider, app,
        aws.target().region());
  }
}
