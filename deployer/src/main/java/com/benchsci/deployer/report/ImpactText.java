package com.benchsci.deployer.report;

import com.benchsci.deployer.impact.HandMade;
import com.benchsci.deployer.impact.Impact;
import com.benchsci.deployer.impact.MonthlyCost;
import com.benchsci.deployer.stack.Assessment;
import com.benchsci.deployer.stack.ChangeTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The review's assessment of a change for a person: what it means for the site (the outlook, the monthly cost), the
 * hand-made changes it keeps or reverts, and one row per resource it touches with its replacement, interruption,
 * cost and why. The console form is what the engine prints before it executes anything
 * ({@link #console(ChangeTable, Assessment)}); the Markdown pieces are put together by {@link ReviewMarkdown}.
 */
public final class ImpactText {

  static final TextTable<Impact.Row> TABLE = new TextTable<>(List.of(
      new TextTable.Column<>("Action", Impact.Row::action),
      new TextTable.Column<>("Logical id", Impact.Row::logicalId),
      new TextTable.Column<>("Type", Impact.Row::type),
      new TextTable.Column<>("Replacement", r -> r.replacement().label()),
      new TextTable.Column<>("Interruption", r -> r.interruption().documented()),
      new TextTable.Column<>("Monthly cost", ImpactText::cost),
      new TextTable.Column<>("Why", ImpactText::why)));

  private ImpactText() {}

  /**
   * A stack's change on the console: its outlook and cost, its hand-made changes, the rows, and CloudFormation's
   * own list where it says more than the rows (property details, on AWS). With nothing to change, only what was
   * made by hand and what was not compared.
   */
  public static String console(ChangeTable table, Assessment assessment) {
    StringBuilder s = new StringBuilder();
    Impact impact = assessment.impact();
    boolean changes = !table.rows().isEmpty() || !impact.rows().isEmpty();
    if (changes) {
      s.append("  ").append(outlook(impact.summary())).append('\n')
          .append("  ").append(cost(impact.summary())).append('\n');
    }
    if (!assessment.handMade().isEmpty()) {
      s.append("  Hand-made changes (").append(assessment.handMade().size()).append("):\n");
      assessment.handMade().forEach(j -> s.append("    ").append(handMade(j)).append('\n'));
    }
    assessment.notes().forEach(n -> s.append("  Not compared: ").append(n).append('\n'));
    if (changes) {
      s.append(TABLE.console(impact.rows()));
      if (table.rows().stream().anyMatch(r -> !r.details().isEmpty())) {
        s.append("  CloudFormation's change set:\n").append(ChangeTableText.console(table));
      }
    }
    return s.toString();
  }

  /** "The site is unreachable for about a minute or two: ... . Elastic IP kept." */
  static String outlook(Impact.Summary summary) {
    return summary.reachability().headline() + (summary.because().isEmpty() ? "" : ": " + summary.because()) + ". "
        + summary.elasticIp() + ".";
  }

  /** "Monthly cost: $7.36 -> $16.55 (+$9.20); not priced: ..." */
  static String cost(Impact.Summary summary) {
    return "Monthly cost: " + summary.before().dollars() + " -> " + summary.after().dollars() + " ("
        + MonthlyCost.delta(summary.after().usd().subtract(summary.before().usd())) + "); not priced: "
        + String.join(", ", summary.notPriced()) + ".";
  }

  /** "kept by this deploy: WebSecurityGroup: ingress tcp 8080 from 0.0.0.0/0 added by hand [sgr-1]; why." */
  static String handMade(HandMade.Judged judged) {
    return judged.verdict().words() + ": " + judged.change().logicalId() + ": " + judged.change().what() + "; "
        + judged.why();
  }

  /** "$3.07 -> $12.26 (+$9.20)", with what is not priced. */
  static String cost(Impact.Row row) {
    MonthlyCost before = row.costBefore();
    MonthlyCost after = row.costAfter();
    Set<String> unpriced = new LinkedHashSet<>(before.unpriced());
    unpriced.addAll(after.unpriced());
    boolean free = before.usd().signum() == 0 && after.usd().signum() == 0;
    String priced = free ? (unpriced.isEmpty() ? "$0.00" : "") : before.dollars() + " -> " + after.dollars() + " ("
        + MonthlyCost.delta(after.usd().subtract(before.usd())) + ")";
    return unpriced.isEmpty() ? priced
        : priced + (priced.isEmpty() ? "" : "; ") + "not priced: " + String.join(", ", unpriced);
  }

  /** The reasons of a row: per changed property what it does, or why it is added or removed. */
  static String why(Impact.Row row) {
    String why = row.action().equals("Modify") ? row.replacementReason() : row.interruptionReason();
    return row.listed() ? why : why + " (not in the change set: derived from the templates)";
  }

  /** How each changed resource's monthly cost was computed, one line each; empty where nothing is priced. */
  static List<String> costBases(Impact impact) {
    List<String> lines = new ArrayList<>();
    for (Impact.Row r : impact.rows()) {
      if (!r.costBefore().basis().isEmpty() || !r.costAfter().basis().isEmpty()) {
        lines.add(r.logicalId() + ": " + basis(r.costBefore()) + " -> " + basis(r.costAfter()));
      }
    }
    return lines;
  }

  private static String basis(MonthlyCost cost) {
    return cost.basis().isEmpty() ? cost.dollars() : cost.dollars() + " (" + cost.basis() + ")";
  }

  /** The pages of AWS's documentation the rows' rules come from, each once. */
  static List<String> sources(Impact impact) {
    Set<String> sources = new LinkedHashSet<>();
    impact.rows().forEach(r -> sources.addAll(r.sources()));
    return List.copyOf(sources);
  }
}
