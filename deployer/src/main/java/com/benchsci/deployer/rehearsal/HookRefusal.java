package com.benchsci.deployer.rehearsal;

import com.benchsci.deployer.core.Backoff;
import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.template.Template;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.HookResultSummary;
import software.amazon.awssdk.services.cloudformation.model.HookStatus;
import software.amazon.awssdk.services.cloudformation.model.ListHookResultsTargetType;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.RegistryType;
import software.amazon.awssdk.services.cloudformation.model.TypeNotFoundException;

/**
 * The Guard Hook, seen from a client that is not the deployer: a change set on the app stack whose template opens
 * tcp 8080 to the internet (what a hand-made change set would do; the deployer's own checks would stop it before
 * AWS), created directly. The hook (FailureMode FAIL, target CHANGE_SET) must judge it and fail it, so that it can
 * never be executed: its result for the change set (ListHookResults) is HOOK_COMPLETE_FAILED and the change set is
 * not AVAILABLE. The change set is deleted afterwards, never executed.
 */
final class HookRefusal {

  /** The opening the policy forbids, in the form of the template's other ingress rules. */
  static final String VIOLATION = "{IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 0.0.0.0/0,"
      + " Description: Opened by the rehearsal for the Guard Hook to refuse}";
  private static final Pattern INGRESS = Pattern.compile("(?m)^( *)SecurityGroupIngress:\\n");
  private static final Duration HOOK_RESULT_LIMIT = Duration.ofMinutes(5);

  private HookRefusal() {}

  /** {@code app}'s body with {@link #VIOLATION} as the first ingress rule of its first security group. */
  static String violating(Template app) {
    Matcher m = INGRESS.matcher(app.body());
    if (!m.find()) {
      throw new DeployException(app.file() + " has no SecurityGroupIngress list to add the violating rule to");
    }
    return app.body().substring(0, m.end()) + m.group(1) + "  - " + VIOLATION + "\n" + app.body().substring(m.end());
  }

  static StepResult run(CloudFormationClient cfn, String stackName, String alias, Template app, String name) {
    try {
      cfn.describeType(r -> r.type(RegistryType.HOOK).typeName(alias));
    } catch (TypeNotFoundException e) {
      return StepResult.failed(Step.HOOK_REFUSES, "the account has no hook " + alias + " (the bootstrap stack's"
          + " FirewallGuardHook): nothing judges the app stack's change sets");
    }
    List<Parameter> previous = cfn.describeStacks(r -> r.stackName(stackName)).stacks().get(0).parameters().stream()
        .map(p -> Parameter.builder().parameterKey(p.parameterKey()).usePreviousValue(true).build()).toList();
    String id = cfn.createChangeSet(r -> r.stackName(stackName).changeSetName(name)
        .changeSetType(ChangeSetType.UPDATE).templateBody(violating(app)).parameters(previous)
        .capabilities(Capability.CAPABILITY_IAM)
        .description("hello-host rehearsal: opens tcp 8080, for the Guard Hook to refuse; never executed")).id();
    try {
      try {
        cfn.waiter().waitUntilChangeSetCreateComplete(r -> r.changeSetName(id), w -> w.waitTimeout(HOOK_RESULT_LIMIT));
      } catch (SdkClientException failedOrTimedOut) {
        // FAILED (what a refusal may look like) ends the wait as a failure: the status below says which it was.
      }
      DescribeChangeSetResponse changeSet = cfn.describeChangeSet(r -> r.changeSetName(id));
      Optional<HookResultSummary> result = hookResult(cfn, id, alias);
      String state = "change set " + changeSet.statusAsString() + "/" + changeSet.executionStatusAsString()
          + (changeSet.statusReason() == null ? "" : " (" + changeSet.statusReason() + ")");
      if (result.isEmpty()) {
        return StepResult.failed(Step.HOOK_REFUSES, "no result of hook " + alias + " for the change set within "
            + HOOK_RESULT_LIMIT.toMinutes() + " min; " + state);
      }
      HookResultSummary hook = result.get();
      String judged = "hook " + alias + " " + hook.statusAsString() + ": " + hook.hookStatusReason();
      if (hook.status() != HookStatus.HOOK_COMPLETE_FAILED) {
        return StepResult.failed(Step.HOOK_REFUSES, judged + "; " + state);
      }
      if ("AVAILABLE".equals(changeSet.executionStatusAsString())) {
        return StepResult.failed(Step.HOOK_REFUSES, judged + ", yet the " + state + " could be executed");
      }
      return StepResult.passed(Step.HOOK_REFUSES, judged + "; " + state + ": it can never be executed");
    } finally {
      cfn.deleteChangeSet(r -> r.changeSetName(id));
    }
  }

  /** The hook's result for the change set once it is no longer in progress, polled up to a limit. */
  private static Optional<HookResultSummary> hookResult(CloudFormationClient cfn, String changeSetId, String alias) {
    Instant deadline = Instant.now().plus(HOOK_RESULT_LIMIT);
    Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(15));
    while (true) {
      Optional<HookResultSummary> result = cfn.listHookResults(r -> r.targetType(ListHookResultsTargetType.CHANGE_SET)
              .targetId(changeSetId)).hookResults().stream()
          .filter(h -> alias.equals(h.typeName()) && h.status() != HookStatus.HOOK_IN_PROGRESS).findFirst();
      if (result.isPresent() || Instant.now().isAfter(deadline)) {
        return result;
      }
      backoff.pause();
    }
  }
}
