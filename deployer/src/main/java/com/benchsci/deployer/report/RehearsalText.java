package com.benchsci.deployer.report;

import com.benchsci.deployer.rehearsal.RehearsalOutcome;
import com.benchsci.deployer.rehearsal.Step;
import com.benchsci.deployer.rehearsal.StepResult;
import java.util.List;
import java.util.stream.Collectors;

/** The rehearsal's table for the console: one row per step, then one line that says how it ended. */
public final class RehearsalText {

  private RehearsalText() {}

  public static String console(RehearsalOutcome outcome) {
    List<StepResult> steps = outcome.steps();
    int title = "Step".length();
    int result = "Result".length();
    for (StepResult s : steps) {
      title = Math.max(title, s.step().title().length());
      result = Math.max(result, s.status().label().length());
    }
    String line = "  %2s  %-" + title + "s  %-" + result + "s  %s%n";
    StringBuilder out = new StringBuilder();
    out.append(String.format("%nRehearsal %s on %s:%n", outcome.id(), outcome.target()));
    out.append(String.format(line, "#", "Step", "Result", "Detail"));
    for (StepResult s : steps) {
      out.append(String.format(line, s.step().number(), s.step().title(), s.status().label(), s.detail()));
    }
    out.append(verdict(outcome)).append('\n');
    return out.toString();
  }

  private static String verdict(RehearsalOutcome outcome) {
    String failed = numbers(outcome, StepResult.Status.FAILED);
    String impossible = numbers(outcome, StepResult.Status.NOT_POSSIBLE);
    if (outcome.interrupted()) {
      boolean clean = outcome.steps().stream().anyMatch(s -> s.step() == Step.CLEANUP && s.passed());
      return "REHEARSAL INTERRUPTED: " + (clean ? "everything it made is deleted."
          : "the clean-up did not finish (see its row).");
    }
    if (!failed.isEmpty()) {
      return "REHEARSAL FAILED: step(s) " + failed + " failed (see their rows).";
    }
    return "REHEARSAL PASSED: every step this endpoint can do passed" + (impossible.isEmpty() ? "."
        : "; step(s) " + impossible + " are not possible here (run the rehearsal on a sandbox account for them:"
            + " docs/rehearsal.md).");
  }

  private static String numbers(RehearsalOutcome outcome, StepResult.Status status) {
    return outcome.steps().stream().filter(s -> s.status() == status).map(s -> Integer.toString(s.step().number()))
        .collect(Collectors.joining(", "));
  }
}
