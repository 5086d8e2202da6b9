package com.benchsci.deployer.stack;

import com.benchsci.deployer.core.ContentHash;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The digest of what a review showed for one stack: the template body, the parameters passed and the change list.
 * Normalised (parameters sorted, changes in the table's fixed order, no change-set names or times), so the same
 * change to the same stack gives the same digest in the pull request's review and in the master deploy; the
 * deploy executes only a change set whose digest was reviewed. The algorithm is fixed: CI compares digests made by
 * different commits of the deployer, so a row that gains a column must not change what is hashed here.
 */
public final class ChangeSetDigest {

  private ChangeSetDigest() {}

  public static String of(String stack, String templateBody, Map<String, String> parameters, ChangeTable changes) {
    StringBuilder text = new StringBuilder();
    line(text, "stack", stack);
    line(text, "template", sha256(templateBody));
    new TreeMap<>(parameters).forEach((key, value) -> line(text, "parameter", key, value));
    for (ChangeTable.Row r : changes.rows()) {
      line(text, "change", r.action(), r.logicalId(), r.type(), r.replacement(), r.details());
    }
    return sha256(text.toString());
  }

  /** One record a line, fields tab-separated, tabs, line breaks and backslashes escaped: no two inputs collide. */
  private static void line(StringBuilder text, String... fields) {
    for (int i = 0; i < fields.length; i++) {
      text.append(i == 0 ? "" : "\t").append(fields[i].replace("\\", "\\\\").replace("\t", "\\t")
          .replace("\n", "\\n").replace("\r", "\\r"));
    }
    text.append('\n');
  }

  private static String sha256(String text) {
    return ContentHash.sha256(text.getBytes(StandardCharsets.UTF_8));
  }
}
