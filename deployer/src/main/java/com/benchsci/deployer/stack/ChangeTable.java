package com.benchsci.deployer.stack;

import com.benchsci.deployer.template.Template;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;
import software.amazon.awssdk.services.cloudformation.model.ResourceChangeDetail;
import software.amazon.awssdk.services.cloudformation.model.ResourceTargetDefinition;

/**
 * A change set as a table: one row per resource change, for the console and for a pull-request comment. Rows come
 * in a fixed order, the changes that matter first: replacements and deletions, then security group rules, then IAM,
 * then the rest (each group by logical id).
 */
final class ChangeTable {

  record Row(String action, String logicalId, String type, String replacement, String details) {}

  private static final List<String> HEADERS = List.of("Action", "Logical id", "Type", "Replacement", "Details");

  private final List<Row> rows;

  private static final Comparator<Row> MATTERS_FIRST = Comparator.comparingInt(ChangeTable::weight)
      .thenComparing(Row::logicalId).thenComparing(Row::action);

  ChangeTable(List<Row> rows) {
    this.rows = rows.stream().sorted(MATTERS_FIRST).toList();
  }

  /**
   * What a CREATE change set of {@code template} would list: every resource as an addition. A review of a stack
   * that does not exist yet renders this instead of creating a change set (and with it a placeholder stack).
   */
  static ChangeTable additions(Template template) {
    List<Row> rows = new ArrayList<>();
    if (template.tree().get("Resources") instanceof Map<?, ?> resources) {
      resources.forEach((id, resource) -> rows.add(new Row("Add", String.valueOf(id),
          resource instanceof Map<?, ?> r ? orDash(String.valueOf(r.get("Type"))) : "-", "-", "")));
    }
    return new ChangeTable(rows);
  }

  /** 0: replaced or removed; 1: a security group or its rules; 2: IAM; 3: anything else. */
  private static int weight(Row r) {
    if (r.action().equals("Remove") || r.replacement().equals("True") || r.replacement().equals("Conditional")) {
      return 0;
    }
    if (r.type().startsWith("AWS::EC2::SecurityGroup")) {
      return 1;
    }
    return r.type().startsWith("AWS::IAM::") ? 2 : 3;
  }

  static ChangeTable of(List<Change> changes) {
    List<Row> rows = new ArrayList<>();
    for (Change change : changes) {
      ResourceChange rc = change.resourceChange();
      if (rc != null) {
        rows.add(new Row(orDash(rc.actionAsString()), orDash(rc.logicalResourceId()), orDash(rc.resourceType()),
            orDash(rc.replacementAsString()), details(rc)));
      }
    }
    return new ChangeTable(rows);
  }

  List<Row> rows() {
    return rows;
  }

  /** Columns padded to their widest cell. */
  String console() {
    List<List<String>> lines = new ArrayList<>();
    lines.add(HEADERS);
    rows.forEach(r -> lines.add(cells(r)));
    int[] width = new int[HEADERS.size()];
    for (List<String> line : lines) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], line.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> line : lines) {
      StringBuilder text = new StringBuilder("  ");
      for (int i = 0; i < width.length; i++) {
        text.append(String.format("%-" + width[i] + "s", line.get(i))).append(i < width.length - 1 ? "  " : "");
      }
      out.append(text.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** A GitHub-flavoured Markdown table; pipes and line breaks in cells are escaped so a row stays one row. */
  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append(mdLine(HEADERS));
    out.append(mdLine(HEADERS.stream().map(h -> "---").toList()));
    rows.forEach(r -> out.append(mdLine(cells(r).stream().map(ChangeTable::mdCell).toList())));
    return out.toString();
  }

  private static String mdLine(List<String> cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  private static String mdCell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>");
  }

  private static List<String> cells(Row r) {
    return List.of(r.action(), r.logicalId(), r.type(), r.replacement(), r.details());
  }

  /** Property-level details when the API gives them, else the scope of the change. */
  private static String details(ResourceChange rc) {
    if (rc.hasDetails() && !rc.details().isEmpty()) {
      return rc.details().stream().map(ChangeTable::detail).distinct().collect(Collectors.joining("; "));
    }
    if (rc.hasScope() && !rc.scope().isEmpty()) {
      return "scope: " + String.join(", ", rc.scopeAsStrings());
    }
    return "";
  }

  private static String detail(ResourceChangeDetail d) {
    ResourceTargetDefinition t = d.target();
    if (t == null) {
      return orDash(d.changeSourceAsString());
    }
    StringBuilder s = new StringBuilder(t.attributeAsString());
    if (t.name() != null) {
      s.append('.').append(t.name());
    }
    if (t.beforeValue() != null || t.afterValue() != null) {
      s.append(": ").append(orDash(t.beforeValue())).append(" -> ").append(orDash(t.afterValue()));
    }
    if (t.requiresRecreation() != null && !"Never".equals(t.requiresRecreationAsString())) {
      s.append(" (recreation: ").append(t.requiresRecreationAsString()).append(')');
    }
    if (d.causingEntity() != null) {
      s.append(" (caused by ").append(d.causingEntity()).append(')');
    }
    return s.toString();
  }

  private static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
