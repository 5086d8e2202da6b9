package com.benchsci.deployer.rehearsal;

/** The rehearsal's steps, in the order they run; docs/rehearsal.md says what each proves on AWS. */
public enum Step {
  CREATE("Create both stacks under the rehearsal's names"),
  GREETING("Greeting over HTTP and HTTPS on the Elastic IP"),
  NEW_JAR("Deploy a new jar: the app stack takes its key"),
  ROLLOUT("cfn-hup rolls it out, 0 failed requests outside"),
  AUDIT_PASSES("The audit of the fresh host passes"),
  PORT_OPENED("Port 8080 opened by hand: the audit fails"),
  HOOK_REFUSES("The Guard Hook refuses a violating change set"),
  DRIFT("Drift detection reports the opened port"),
  PORT_CLOSED("Port closed again: the audit no longer sees it"),
  TERMINATED("Instance terminated by hand: found gone"),
  RECOVERED("The next deploy replaces it on the same IP"),
  CLEANUP("Everything the rehearsal made is deleted");

  private final String title;

  Step(String title) {
    this.title = title;
  }

  public int number() {
    return ordinal() + 1;
  }

  public String title() {
    return title;
  }
}
