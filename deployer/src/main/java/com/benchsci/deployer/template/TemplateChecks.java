package com.benchsci.deployer.template;

import com.benchsci.deployer.core.DeployException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The checks every template must pass before anything reaches AWS; {@link #NONE} when they already passed. */
public record TemplateChecks(List<TemplateCheck> checks) {

  public static final TemplateChecks NONE = new TemplateChecks(List.of());

  public TemplateChecks {
    checks = List.copyOf(checks);
  }

  /**
   * Runs every check on {@code template}; prints each violation and refuses the template when there is any. With
   * {@link #NONE} (the checks already passed on these bytes) it says nothing.
   */
  public void require(Template template, PrintWriter out) {
    if (checks.isEmpty()) {
      return;
    }
    List<String> violations = new ArrayList<>();
    for (TemplateCheck check : checks) {
      violations.addAll(check.violations(template.file()));
    }
    if (!violations.isEmpty()) {
      violations.forEach(v -> out.println("  " + v));
      throw new DeployException(template.file() + " fails " + violations.size()
          + " check(s) (cfn-lint / cfn-guard, listed above): nothing was sent to AWS");
    }
    out.printf("Checked %s: cfn-lint and cfn-guard pass.%n", template.file());
  }
}
