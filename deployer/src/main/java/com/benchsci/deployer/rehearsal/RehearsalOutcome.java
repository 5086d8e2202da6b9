package com.benchsci.deployer.rehearsal;

import java.util.List;

/**
 * How a rehearsal (or its clean-up alone) ended: one row per step on {@code target}. It passed when no step failed
 * and it was not interrupted; steps the endpoint cannot do at all do not fail it, they say so.
 */
public record RehearsalOutcome(RehearsalId id, String target, List<StepResult> steps, boolean interrupted) {

  public RehearsalOutcome {
    steps = List.copyOf(steps);
  }

  public boolean passed() {
    return !interrupted && steps.stream().noneMatch(s -> s.status() == StepResult.Status.FAILED);
  }
}
