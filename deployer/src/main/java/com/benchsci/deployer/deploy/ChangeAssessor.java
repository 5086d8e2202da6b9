package com.benchsci.deployer.deploy;

import com.benchsci.deployer.impact.Analysis;
import com.benchsci.deployer.impact.HandMade;
import com.benchsci.deployer.impact.Impact;
import com.benchsci.deployer.live.HandMadeChanges;
import com.benchsci.deployer.stack.Assessment;
import com.benchsci.deployer.stack.Assessor;
import com.benchsci.deployer.template.Template;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.model.Change;

/**
 * The review's judgement of one stack's change: the impact analysis from the deployed template and parameters to the
 * new ones, and what the change set does to each hand-made change found on the stack before it was made. A stack
 * with nothing deployed has no deployed template ({@code deployedTemplate} null) and nothing made by hand.
 */
final class ChangeAssessor implements Assessor {

  private final Analysis analysis;
  private final Map<String, Object> deployedTemplate;
  private final Map<String, String> deployedParameters;
  private final HandMadeChanges.Found found;

  ChangeAssessor(Analysis analysis, Map<String, Object> deployedTemplate, Map<String, String> deployedParameters,
      HandMadeChanges.Found found) {
    this.analysis = analysis;
    this.deployedTemplate = deployedTemplate;
    this.deployedParameters = deployedParameters;
    this.found = found;
  }

  /** For a stack that does not exist (or only as a failed first create): everything is new. */
  static ChangeAssessor forNewStack(Analysis analysis) {
    return new ChangeAssessor(analysis, null, Map.of(), HandMadeChanges.Found.NONE);
  }

  @Override
  public Assessment assess(boolean newStack, Template template, Map<String, String> parameters, List<Change> changes,
      boolean driftAware) {
    if (newStack || deployedTemplate == null) {
      return new Assessment(analysis.of(null, null, template.tree(), parameters, changes), List.of(), List.of());
    }
    Impact impact = analysis.of(deployedTemplate, deployedParameters, template.tree(), parameters, changes);
    return new Assessment(impact, HandMade.judge(found.changes(), impact, changes, driftAware), found.notes());
  }
}
