package com.benchsci.deployer.cli;

import com.benchsci.deployer.deploy.DeployOutcome;
import com.benchsci.deployer.live.AuditOutcome;
import com.benchsci.deployer.live.DriftOutcome;
import com.benchsci.deployer.rehearsal.RehearsalOutcome;

/**
 * The CLI's exit codes, one meaning each (docs/cli.md lists them; a test keeps the two in step). A signal ends the
 * JVM with 128 + its number, as any JVM: 130 for SIGINT, 143 for SIGTERM.
 */
public enum ExitCode {
  OK(0, "Done: deployed, reviewed or nothing to change; no drift; the audit passed; the rehearsal passed."),
  FAILED(1, "Refused or failed: one `ERROR:` line on stderr says why (bad input, a policy violation, AWS"
      + " refusing, a stack held by another run)."),
  USAGE(2, "Bad usage: an unknown option, subcommand or value."),
  UNREVIEWED(3, "`deploy` stopped before a change set that is not the reviewed one: nothing more was executed,"
      + " the new review and its digests are written (one `STOPPED:` line says where)."),
  DRIFT_UNKNOWN(4, "`drift`: a detection failed or did not finish (moto has none): the state of the stacks is"
      + " unknown."),
  DRIFTED(5, "`drift`: resources were changed outside CloudFormation (wins over a failed detection elsewhere)."),
  VIOLATIONS(6, "`audit`: the live firewall violates the policy."),
  REHEARSAL_FAILED(7, "`rehearse`: a step failed or the clean-up left something (its row says what, and how to"
      + " finish it); steps the endpoint cannot do are not failures.");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  static ExitCode of(DeployOutcome outcome) {
    return outcome.kind() == DeployOutcome.Kind.STOPPED_UNREVIEWED ? UNREVIEWED : OK;
  }

  static ExitCode of(DriftOutcome outcome) {
    return switch (outcome.status()) {
      case IN_SYNC -> OK;
      case DRIFTED -> DRIFTED;
      case DETECTION_FAILED -> DRIFT_UNKNOWN;
    };
  }

  static ExitCode of(AuditOutcome outcome) {
    return outcome.passed() ? OK : VIOLATIONS;
  }

  static ExitCode of(RehearsalOutcome outcome) {
    return outcome.passed() ? OK : REHEARSAL_FAILED;
  }
}
