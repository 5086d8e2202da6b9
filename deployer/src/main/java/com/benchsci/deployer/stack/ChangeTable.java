package com.benchsci.deployer.stack;

import com.benchsci.deployer.template.Template;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cloudformation.model.AttributeChangeType;
import software.amazon.awssdk.services.cloudformation.model.BeforeValueFrom;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;
import software.amazon.awssdk.services.cloudformation.model.ResourceChangeDetail;
import software.amazon.awssdk.services.cloudformation.model.ResourceTargetDefinition;

/**
 * A change set as data: one row per resource change. Rows come in a fixed order, the changes that matter first:
 * replacements and deletions, then security group rules, then IAM, then the rest (each group by logical id). How a
 * table looks on the console or in a pull request is the report adapter's business (report.ChangeTableText).
 */
public final class ChangeTable {

  /** One resource change; {@code details} are the property-level changes, or the scope when there are none. */
  public record Row(String action, String logicalId, String type, String replacement, String details) {}

  private static final Comparator<Row> MATTERS_FIRST = Comparator.comparingInt(ChangeTable::weight)
      .thenComparing(Row::logicalId).thenComparing(Row::action);

  private final List<Row> rows;

  public ChangeTable(List<Row> rows) {
    this.rows = rows.stream().sorted(MATTERS_FIRST).toList();
  }

  public static final ChangeTable EMPTY = new ChangeTable(List.of());

  /**
   * The changes a CREATE change set of {@code template} lists: each resource added, with its logical id and type. A
   * review of a stack that does not exist yet shows these instead of creating a change set (and with it a
   * placeholder stack), judged and digested as the deploy's CREATE change set will be.
   */
  public static List<Change> additionChanges(Template template) {
    List<Change> changes = new ArrayList<>();
    if (template.tree().get("Resources") instanceof Map<?, ?> resources) {
      resources.forEach((id, resource) -> changes.add(Change.builder().type("Resource").resourceChange(r -> r
          .action("Add").logicalResourceId(String.valueOf(id))
          .resourceType(resource instanceof Map<?, ?> m && m.get("Type") != null ? String.valueOf(m.get("Type"))
              : null)).build()));
    }
    return changes;
  }

  public static ChangeTable of(List<Change> changes) {
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

  public List<Row> rows() {
    return rows;
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

  /**
   * Property-level details when the API gives them, else the scope of the change; a drift-aware change set's
   * resource drift status first (what it found changed by hand).
   */
  private static String details(ResourceChange rc) {
    String drift = rc.resourceDriftStatus() == null ? "" : "drift: " + rc.resourceDriftStatusAsString();
    String details = "";
    if (rc.hasDetails() && !rc.details().isEmpty()) {
      details = rc.details().stream().map(ChangeTable::detail).distinct().collect(Collectors.joining("; "));
    } else if (rc.hasScope() && !rc.scope().isEmpty()) {
      details = "scope: " + String.join(", ", rc.scopeAsStrings());
    }
    return drift.isEmpty() || details.isEmpty() ? drift + details : drift + "; " + details;
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
      // A drift-aware change set says where the value before comes from: the live resource or the last template.
      s.append(": ").append(t.beforeValueFrom() == BeforeValueFrom.ACTUAL_STATE ? "live " : "")
          .append(orDash(t.beforeValue())).append(" -> ").append(orDash(t.afterValue()));
    }
    if (t.attributeChangeType() == AttributeChangeType.SYNC_WITH_ACTUAL) {
      s.append(" (the template takes the live value)");
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
