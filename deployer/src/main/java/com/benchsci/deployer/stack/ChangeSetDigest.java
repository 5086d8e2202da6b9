package com.benchsci.deployer.stack;

import com.benchsci.deployer.core.ContentHash;
import com.benchsci.deployer.impact.HandMade;
import com.benchsci.deployer.impact.Impact;
import com.benchsci.deployer.impact.MonthlyCost;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The digest of what a review showed for one stack: the template body, the parameters passed, the change list, and
 * the review's assessment of it (the first line, each resource's replacement, interruption and cost with their
 * reasons, each hand-made change with what the deploy does to it, and what was not compared). Normalised
 * (parameters sorted, changes in the table's fixed order, no change-set names, times or drift-detection ids), so the
 * same change to the same live stack gives the same digest in the pull request's review and in the master deploy;
 * the deploy executes only a change set whose digest was reviewed.
 *
 * <p>Because the assessment is part of it, a digest also changes when the live stack changed by hand since the
 * review, or when the analysis says something else of the same change (new prices, a new update behaviour, another
 * deployer whose words differ): the deploy then stops for a new review rather than run what nobody saw. The
 * pull request's review and the master deploy normally run the same deployer (the merge of that pull request).
 */
public final class ChangeSetDigest {

  private ChangeSetDigest() {}

  public static String of(String stack, String templateBody, Map<String, String> parameters, ChangeTable changes,
      Assessment assessment) {
    StringBuilder text = new StringBuilder();
    line(text, "stack", stack);
    line(text, "template", sha256(templateBody));
    new TreeMap<>(parameters).forEach((key, value) -> line(text, "parameter", key, value));
    for (ChangeTable.Row r : changes.rows()) {
      line(text, "change", r.action(), r.logicalId(), r.type(), r.replacement(), r.details());
    }
    Impact impact = assessment.impact();
    line(text, "outlook", impact.summary().firstLine());
    // Sorted, as the change table is: the order CloudFormation (or EC2) lists things in is not part of the change.
    List<String> records = new ArrayList<>();
    for (Impact.Row r : impact.rows()) {
      records.add(record("impact", r.logicalId(), r.action(), r.type(), r.replacement().label(),
          r.replacementReason(), r.interruption().name(), r.interruptionReason(), cost(r.costBefore()),
          cost(r.costAfter()), String.valueOf(r.listed())));
    }
    for (HandMade.Judged j : assessment.handMade()) {
      records.add(record("hand-made", j.change().logicalId(), j.change().type(), j.change().property(),
          j.change().what(), j.verdict().name(), j.why()));
    }
    assessment.notes().forEach(note -> records.add(record("note", note)));
    records.stream().sorted().forEach(text::append);
    return sha256(text.toString());
  }

  /** The exact amount, how it was computed, and what it leaves out. */
  private static String cost(MonthlyCost cost) {
    return cost.usd().toPlainString() + " " + cost.basis() + " " + String.join(", ", cost.unpriced());
  }

  private static void line(StringBuilder text, String... fields) {
    text.append(record(fields));
  }

  /** One record a line, fields tab-separated, tabs, line breaks and backslashes escaped: no two inputs collide. */
  private static String record(String... fields) {
    StringBuilder record = new StringBuilder();
    for (int i = 0; i < fields.length; i++) {
      record.append(i == 0 ? "" : "\t").append(fields[i].replace("\\", "\\\\").replace("\t", "\\t")
          .replace("\n", "\\n").replace("\r", "\\r"));
    }
    return record.append('\n').toString();
  }

  private static String sha256(String text) {
    return ContentHash.sha256(text.getBytes(StandardCharsets.UTF_8));
  }
}
