package com.benchsci.deployer.rehearsal;

/** One row of the rehearsal's table: a step, how it ended, and why (what passed, what failed, what is missing). */
public record StepResult(Step step, Status status, String detail) {

  public enum Status {
    PASSED("passed"),
    FAILED("FAILED"),
    /** The endpoint cannot do what the step needs at all (an emulator); the detail says what is missing. */
    NOT_POSSIBLE("not possible on this endpoint"),
    /** Not started: a step it needs did not pass, or the rehearsal was interrupted. */
    NOT_RUN("not run");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  static StepResult passed(Step step, String detail) {
    return new StepResult(step, Status.PASSED, detail);
  }

  static StepResult failed(Step step, String detail) {
    return new StepResult(step, Status.FAILED, detail);
  }

  static StepResult notPossible(Step step, String why) {
    return new StepResult(step, Status.NOT_POSSIBLE, why);
  }

  static StepResult notRun(Step step, String why) {
    return new StepResult(step, Status.NOT_RUN, why);
  }

  public boolean passed() {
    return status == Status.PASSED;
  }
}
