package com.benchsci.deployer.stack;

import com.benchsci.deployer.template.Template;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.model.Change;

/**
 * Judges one stack's change for the review, knowing the stack as it was before its change set (its deployed template
 * and parameters, and what was changed on it by hand, read by the orchestration when the engine asked, once no other
 * run held the stack and before the change set was made). The engine asks once per change it shows, and digests the
 * answer with the change set.
 */
@FunctionalInterface
public interface Assessor {

  /**
   * The change from the deployed stack to {@code template} with {@code parameters}: {@code newStack} when nothing
   * is deployed yet (a CREATE, or a stack made again); {@code changes} as DescribeChangeSet lists them (none for a
   * review of a new stack, or when nothing changes); {@code driftAware}: made with {@code DeploymentMode
   * REVERT_DRIFT}.
   */
  Assessment assess(boolean newStack, Template template, Map<String, String> parameters, List<Change> changes,
      boolean driftAware);
}
