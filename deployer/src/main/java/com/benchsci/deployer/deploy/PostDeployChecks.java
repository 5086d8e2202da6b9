package com.benchsci.deployer.deploy;

import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.live.HostCheck;
import com.benchsci.deployer.stack.EmulatorQuirks;
import com.benchsci.deployer.template.Template;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The deploy's last word, after the app stack's change set executed: the stack's instance runs and holds the
 * Elastic IP, and (with the greeting check) its public URL answers; otherwise the deploy fails loudly.
 */
final class PostDeployChecks {

  /** How long the app may take to answer after a deploy (a new instance boots and installs first). */
  private static final Duration GREETING_LIMIT = Duration.ofMinutes(5);

  private PostDeployChecks() {}

  static void host(CloudFormationClient cfn, Ec2Client ec2, String stackName, Template app, PrintWriter out) {
    if (!app.resourceTypes().contains("AWS::EC2::Instance")) {
      return;
    }
    HostCheck host = HostCheck.read(cfn, ec2, stackName);
    if (host == null) {
      throw new DeployException("stack " + stackName + " ended without an instance among its resources although "
          + app.file() + " declares one: the host is down (the endpoint did not carry out the change set;"
          + " see the events above)");
    }
    if (!host.problems().isEmpty()) {
      throw new DeployException("the host is down after the deploy: " + String.join("; ", host.problems()));
    }
    out.printf("Host check: %s %s is running and holds the Elastic IP %s.%n", host.instanceLogicalId(),
        host.instanceId(), host.publicIp());
  }

  /** {@code greeting}: check over HTTP; otherwise only say where the app would be reached. */
  static void app(Map<String, String> outputs, boolean greeting, EmulatorQuirks quirks, PrintWriter out) {
    String url = outputs.get("Url");
    if (url == null) {
      out.println("The stack reports no Url output: see the outputs above.");
    } else if (greeting) {
      HttpCheck.expectGreeting(URI.create(url), GREETING_LIMIT, out);
    } else {
      out.printf("The app would be reached at %s%s%n", url, quirks.appUnreachable().map(why -> " (" + why + ")")
          .orElse(""));
    }
  }
}
