package com.benchsci.deployer.rehearsal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;

/**
 * Which jar the host serves, read on the host itself over SSM Run Command (the instance role carries
 * AmazonSSMManagedInstanceCore; no SSH): the SHA-256 of the jar in the slot that hello-rollout enabled, which is the
 * one serving once a rollout finished (during one, both slots are enabled for a moment, which reads as not yet).
 */
final class ServingJar {

  /** The same command the runbook shows, AWS-RunShellScript. */
  private static final String SCRIPT = "for s in a b; do if systemctl -q is-enabled hello@$s.service; then"
      + " sha256sum /opt/hello/$s/vertx-app.jar; fi; done";
  private static final Pattern HASH = Pattern.compile("(?m)^([0-9a-f]{64}) ");

  private ServingJar() {}

  /**
   * The serving jar's SHA-256 now, or empty when it cannot be told yet (the SSM agent not registered yet, the
   * command still running, a rollout between its slots); {@code why} gets the reason.
   */
  static Optional<String> read(SsmClient ssm, String instanceId, StringBuilder why) {
    why.setLength(0);
    try {
      String command = ssm.sendCommand(r -> r.instanceIds(instanceId).documentName("AWS-RunShellScript")
          .parameters(Map.of("commands", List.of(SCRIPT)))).command().commandId();
      for (int i = 0; i < 20; i++) {
        Thread.sleep(1_500);
        GetCommandInvocationResponse run;
        try {
          run = ssm.getCommandInvocation(r -> r.commandId(command).instanceId(instanceId));
        } catch (AwsServiceException notYet) {
          continue; // InvocationDoesNotExist for a moment after SendCommand
        }
        switch (run.statusAsString()) {
          case "Pending", "InProgress", "Delayed" -> {
            continue;
          }
          case "Success" -> {
            return onlyOne(run.standardOutputContent(), why);
          }
          default -> {
            why.append("the command ended ").append(run.statusAsString()).append(": ")
                .append(run.standardErrorContent());
            return Optional.empty();
          }
        }
      }
      why.append("the command did not finish within 30 s");
    } catch (AwsServiceException e) {
      why.append(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      why.append("interrupted");
    }
    return Optional.empty();
  }

  private static Optional<String> onlyOne(String output, StringBuilder why) {
    Matcher m = HASH.matcher(output == null ? "" : output);
    List<String> hashes = m.results().map(r -> r.group(1)).toList();
    if (hashes.size() != 1) {
      why.append(hashes.size()).append(" slots enabled");
      return Optional.empty();
    }
    return Optional.of(hashes.get(0));
  }
}
