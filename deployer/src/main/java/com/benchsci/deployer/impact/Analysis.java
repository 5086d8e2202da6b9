package com.benchsci.deployer.impact;

import com.benchsci.deployer.impact.Impact.Replaced;
import com.benchsci.deployer.impact.Impact.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.Replacement;
import software.amazon.awssdk.services.cloudformation.model.ResourceAttribute;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;
import software.amazon.awssdk.services.cloudformation.model.ResourceChangeDetail;

/**
 * Predicts and explains what a change set does, from CloudFormation's own answers where the change set has them
 * and otherwise from the two templates and their parameters: which resources are replaced (the resource schemas'
 * create-only properties), what interruption the others' updates bring (AWS's documented update behaviours), what
 * follows from a replacement (a resource that refers to a replaced one gets its new id), and the monthly cost.
 * Resources are judged in the order they depend on each other, so each one sees what happened to those it refers to.
 */
public final class Analysis {

  private static final String KNOWN_AFTER_APPLY = "{{changeSet:KNOWN_AFTER_APPLY}}";
  private static final Pattern WHOLE_PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9]+)}");
  private static final int SHOWN_VALUE = 80;

  private final ChangeRules rules;
  private final PriceTable prices;
  private final String region;

  public Analysis(ResourceSchemas schemas, UpdateBehaviours behaviours, PriceTable prices) {
    this.rules = new ChangeRules(schemas, behaviours);
    this.prices = prices;
    this.region = schemas.region();
  }

  /** The checked-in behaviours and prices, with the resource schemas of {@code region} from cfn-lint's package. */
  public static Analysis standard(Path cfnLintPackage, String region) {
    return new Analysis(ResourceSchemas.of(cfnLintPackage, region), UpdateBehaviours.standard(),
        PriceTable.standard());
  }

  /**
   * The impact of changing a stack from {@code oldTemplate} with {@code oldParameters} (null for a stack that does
   * not exist yet) to {@code newTemplate} with {@code newParameters}, as the change set lists it ({@code changes}:
   * DescribeChangeSet's, which may carry CloudFormation's own replacement answers or, on an emulator, only the
   * action). Templates are the parsed trees (intrinsics in their long form); parameters the values passed.
   */
  public Impact of(Map<String, Object> oldTemplate, Map<String, String> oldParameters, Map<String, Object> newTemplate,
      Map<String, String> newParameters, List<Change> changes) {
    Map<String, ResourceChange> listed = new LinkedHashMap<>();
    for (Change c : changes) {
      if (c.resourceChange() != null && c.resourceChange().logicalResourceId() != null) {
        listed.put(c.resourceChange().logicalResourceId(), c.resourceChange());
      }
    }
    Evaluation before = oldTemplate == null ? null : Evaluation.before(oldTemplate, oldParameters, region);
    Map<String, Fate> fates = new HashMap<>();
    Evaluation after = new Evaluation(newTemplate, newParameters, region, id -> fates.getOrDefault(id, Fate.KEPT));
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String id : dependencyOrder(before, after, listed.keySet())) {
      Judged judged = judge(id, before, after, listed.get(id));
      fates.put(id, judged.fate());
      if (judged.row() != null) {
        rows.put(id, judged.row());
      }
    }
    List<Row> ordered = new ArrayList<>();
    listed.keySet().stream().filter(rows::containsKey).forEach(id -> ordered.add(rows.get(id)));
    rows.values().stream().filter(r -> !listed.containsKey(r.logicalId())).forEach(ordered::add);
    return new Impact(List.copyOf(ordered), SiteOutlook.summarize(ordered, before, after, this));
  }

  private static final String NOT_MADE = "its Condition leaves it out before and after: nothing is made";

  private record Judged(Row row, Fate fate) {}

  private Judged judge(String id, Evaluation before, Evaluation after, ResourceChange listed) {
    Boolean inBefore = before == null ? Boolean.FALSE : before.exists(id);
    Boolean inAfter = after.exists(id);
    String type = after.resource(id) != null ? typeOf(after, id) : before != null ? typeOf(before, id)
        : listed != null ? listed.resourceType() : "?";
    if (Boolean.FALSE.equals(inBefore) && Boolean.FALSE.equals(inAfter)) {
      return new Judged(listed == null ? null : row(id, type, listed, "Modify", Replaced.FALSE,
          "its Condition leaves it out before and after", Interruption.NONE, NOT_MADE,
          MonthlyCost.NONE, MonthlyCost.NONE, List.of(), List.of()), Fate.KEPT);
    }
    if (inBefore == null || inAfter == null) {
      String reason = "whether it exists depends on a Condition known only after apply";
      return new Judged(row(id, type, listed, "Modify", Replaced.CONDITIONAL, reason, Interruption.REPLACEMENT,
          reason, cost(before, id, inBefore), cost(after, id, inAfter), List.of(), List.of()), Fate.MAYBE_REPLACED);
    }
    if (!inBefore) {
      return new Judged(row(id, type, listed, "Add", Replaced.NOT_APPLICABLE, "added", Interruption.NONE,
          "new", MonthlyCost.NONE, cost(after, id, true), List.of(), List.of()), Fate.ADDED);
    }
    if (!inAfter) {
      return new Judged(row(id, type, listed, "Remove", Replaced.NOT_APPLICABLE, "removed",
          Interruption.NONE, removal(before, id), cost(before, id, true), MonthlyCost.NONE, List.of(), List.of()),
          Fate.KEPT);
    }
    String typeBefore = typeOf(before, id);
    Derived derived = typeBefore.equals(type) ? derive(type, before, after, id)
        : new Derived(Replaced.TRUE, Interruption.REPLACEMENT, List.of("Type " + typeBefore + " -> " + type
            + ": a new resource"), true, List.of(), List.of());
    if (!derived.changed() && listed == null) {
      return new Judged(null, Fate.KEPT);
    }
    Verdict verdict = withCloudFormationsAnswer(derived, listed, after, id);
    Fate fate = switch (verdict.replacement()) {
      case TRUE -> Fate.REPLACED;
      case CONDITIONAL -> Fate.MAYBE_REPLACED;
      default -> derived.changed() ? Fate.UPDATED : Fate.KEPT;
    };
    return new Judged(row(id, type, listed, "Modify", verdict.replacement(), verdict.reason(), verdict.interruption(),
        verdict.interruptionReason(), cost(before, id, true), cost(after, id, true), derived.sources(),
        derived.properties()), fate);
  }

  /**
   * What the templates say of one resource present before and after. {@code reasons}: one per changed top-level
   * property (or the metadata), most disruptive first; {@code properties}: the top-level properties that change or
   * may change.
   */
  private record Derived(Replaced replacement, Interruption interruption, List<String> reasons, boolean changed,
      List<String> sources, List<String> properties) {}

  private Derived derive(String type, Evaluation before, Evaluation after, String id) {
    Map<String, List<Comparison.Difference>> byProperty = new LinkedHashMap<>();
    for (Comparison.Difference d : Comparison.differences(before.properties(id), after.properties(id))) {
      byProperty.computeIfAbsent(String.valueOf(d.path().get(0)), p -> new ArrayList<>()).add(d);
    }
    boolean metadata = Comparison.of(before.metadata(id), after.metadata(id)) != Comparison.SAME;
    record Judgement(String text, Interruption certain, Interruption possible, boolean mayReplace) {}
    List<Judgement> judgements = new ArrayList<>();
    Set<String> sources = new LinkedHashSet<>();
    byProperty.forEach((property, differences) -> {
      Interruption certain = Interruption.NONE;
      Interruption possible = Interruption.NONE;
      boolean mayReplace = false;
      ChangeRules.Rule worst = null;
      Comparison.Difference shown = differences.get(0);
      for (Comparison.Difference d : differences) {
        ChangeRules.Rule rule = rules.at(type, d.path());
        mayReplace |= rule.mayReplace();
        if (!rule.source().isEmpty()) {
          sources.add(rule.source());
        }
        if (d.comparison() == Comparison.DIFFERENT) {
          certain = certain.worst(rule.requires());
        } else {
          possible = possible.worst(rule.requires());
        }
        if (worst == null || rule.requires().compareTo(worst.requires()) > 0) {
          worst = rule;
          shown = d;
        }
      }
      judgements.add(new Judgement(explain(shown, worst, certain, possible, mayReplace), certain, possible,
          mayReplace));
    });
    if (metadata) {
      judgements.add(new Judgement("Metadata: no interruption (CloudFormation stores it; cfn-init on the host reads"
          + " it when cfn-hup sees the change)", Interruption.NONE, Interruption.NONE, false));
    }
    boolean replaced = judgements.stream().anyMatch(j -> j.certain() == Interruption.REPLACEMENT);
    boolean maybe = judgements.stream().anyMatch(j -> j.possible() == Interruption.REPLACEMENT || j.mayReplace());
    Interruption interruption = judgements.stream().map(Judgement::certain)
        .reduce(Interruption.NONE, Interruption::worst);
    List<String> reasons = judgements.stream()
        .sorted(Comparator.comparing((Judgement j) -> j.certain().worst(j.possible())).reversed())
        .map(Judgement::text).toList();
    return new Derived(replaced ? Replaced.TRUE : maybe ? Replaced.CONDITIONAL : Replaced.FALSE, interruption,
        reasons, !judgements.isEmpty(), List.copyOf(sources), List.copyOf(byProperty.keySet()));
  }

  /** {@code InstanceType t4g.nano -> t4g.small: some interruption, the host stops and starts ...}. */
  private static String explain(Comparison.Difference shown, ChangeRules.Rule rule, Interruption certain,
      Interruption possible, boolean mayReplace) {
    StringBuilder s = new StringBuilder(shown.pathText());
    String replaced = shown.after() instanceof Opaque o && o.kind() == Opaque.Kind.FRESH ? referencedId(o) : null;
    s.append(replaced != null ? " names the new " + replaced : " " + change(shown.before(), shown.after()))
        .append(": ");
    if (certain == Interruption.REPLACEMENT) {
      s.append("replacement (").append(rule.authority()).append(')');
    } else if (possible == Interruption.REPLACEMENT || mayReplace) {
      s.append("replacement if it changes, known after apply (").append(rule.authority()).append(')');
    } else if (certain == Interruption.SOME || possible == Interruption.SOME) {
      s.append(certain == Interruption.SOME ? "some interruption" : "some interruption if it changes").append(" (")
          .append(rule.authority()).append(')');
    } else {
      s.append("no interruption");
    }
    if (!rule.effect().isEmpty()) {
      s.append(", ").append(rule.effect());
    }
    return s.toString();
  }

  /** The final answer for one resource; {@code reason} explains the replacement, the other the interruption. */
  private record Verdict(Replaced replacement, String reason, Interruption interruption, String interruptionReason) {}

  /**
   * CloudFormation's own answer where the change set has one (True and False stand; Conditional is resolved from
   * the templates when they decide it); otherwise the templates' answer.
   */
  private static Verdict withCloudFormationsAnswer(Derived derived, ResourceChange listed, Evaluation after,
      String id) {
    String reasons = derived.reasons().isEmpty() ? "no property change in the templates"
        : String.join("; ", derived.reasons());
    reasons += knownAfterApply(listed, after, id);
    Replacement answer = listed == null ? null : listed.replacement();
    Replaced replaced = derived.replacement();
    String reason = reasons;
    if (answer == Replacement.TRUE || answer == Replacement.FALSE) {
      replaced = answer == Replacement.TRUE ? Replaced.TRUE : Replaced.FALSE;
      reason += " (CloudFormation: " + replaced.label() + (replaced == derived.replacement() ? ""
          : "; the templates alone say " + derived.replacement().label()) + ")";
    } else if (answer == Replacement.CONDITIONAL) {
      reason += " (CloudFormation: Conditional" + (replaced == Replaced.CONDITIONAL ? ""
          : "; resolved from the templates") + ")";
    }
    Interruption interruption = replaced == Replaced.TRUE ? Interruption.REPLACEMENT
        : derived.interruption() == Interruption.REPLACEMENT ? Interruption.SOME : derived.interruption();
    return new Verdict(replaced, reason, interruption, reasons);
  }

  /** The template's value for each property CloudFormation could only call known after apply. */
  private static String knownAfterApply(ResourceChange listed, Evaluation after, String id) {
    if (listed == null || !listed.hasDetails()) {
      return "";
    }
    Map<String, Object> properties = after.properties(id);
    Set<String> resolved = new LinkedHashSet<>();
    for (ResourceChangeDetail d : listed.details()) {
      if (d.target() != null && d.target().name() != null && d.target().afterValue() != null
          && d.target().afterValue().contains(KNOWN_AFTER_APPLY)) {
        Object value = properties.get(d.target().name());
        if (value != null && !(value instanceof Opaque)) {
          resolved.add(d.target().name() + " = " + window(show(value), 0));
        }
      }
    }
    return resolved.isEmpty() ? "" : "; known after apply for CloudFormation, from the templates: "
        + String.join(", ", resolved);
  }

  /**
   * {@code properties}: the top-level properties the templates change; those CloudFormation's details name are
   * added (a drift-aware change set also sets properties the templates leave alone).
   */
  private Row row(String id, String type, ResourceChange listed, String action, Replaced replacement, String reason,
      Interruption interruption, String interruptionReason, MonthlyCost before, MonthlyCost after,
      List<String> sources, List<String> properties) {
    String shownAction = listed != null && listed.actionAsString() != null ? listed.actionAsString() : action;
    Set<String> changed = new LinkedHashSet<>(properties);
    if (listed != null && listed.hasDetails()) {
      listed.details().stream().map(ResourceChangeDetail::target)
          .filter(t -> t != null && t.attribute() == ResourceAttribute.PROPERTIES && t.name() != null)
          .forEach(t -> changed.add(t.name()));
    }
    return new Row(id, type, shownAction, replacement, reason, interruption, interruptionReason, before, after,
        listed != null, sources, List.copyOf(changed));
  }

  private static String removal(Evaluation before, String id) {
    Object policy = before.resource(id).get("DeletionPolicy");
    return "Retain".equals(policy) ? "removed from the stack and kept in the account (DeletionPolicy Retain)"
        : "deleted";
  }

  /** The monthly cost of a resource on one side, or nothing where it does not exist. */
  MonthlyCost cost(Evaluation side, String id, Boolean exists) {
    if (side == null || !Boolean.TRUE.equals(exists)) {
      return MonthlyCost.NONE;
    }
    return prices.of(region, typeOf(side, id), side.properties(id), elasticIpOf(side, id) != null);
  }

  /** The Elastic IP of the template associated with instance {@code id} on this side, or null. */
  static String elasticIpOf(Evaluation side, String instanceId) {
    for (String id : side.resources().keySet()) {
      if ("AWS::EC2::EIP".equals(typeOf(side, id)) && Boolean.TRUE.equals(side.exists(id))
          && instanceId.equals(referencedId(side.properties(id).get("InstanceId")))) {
        return id;
      }
    }
    return null;
  }

  /** {@code X} for a value that is exactly {@code Ref X}. */
  static String referencedId(Object value) {
    if (value instanceof Opaque o) {
      Matcher m = WHOLE_PLACEHOLDER.matcher(o.text());
      return m.matches() ? m.group(1) : null;
    }
    return null;
  }

  static String typeOf(Evaluation side, String id) {
    Map<String, Object> declaration = side.resource(id);
    return declaration == null ? "?" : String.valueOf(declaration.get("Type"));
  }

  PriceTable prices() {
    return prices;
  }

  /**
   * {@code before -> after}, short enough for a table cell: long values are cut to a window around where they first
   * differ; opaque values say whether they are new or known after apply.
   */
  static String change(Object before, Object after) {
    String a = show(before);
    String b = show(after);
    if (a.length() <= SHOWN_VALUE && b.length() <= SHOWN_VALUE) {
      return a + " -> " + b;
    }
    int from = 0;
    while (from < a.length() && from < b.length() && a.charAt(from) == b.charAt(from)) {
      from++;
    }
    int start = Math.max(0, from - 20);
    return window(a, start) + " -> " + window(b, start);
  }

  private static String window(String text, int start) {
    String cut = text.substring(Math.min(start, text.length()));
    cut = cut.length() > SHOWN_VALUE ? cut.substring(0, SHOWN_VALUE - 3) + "..." : cut;
    return start > 0 ? "..." + cut : cut;
  }

  /** A value on one line; opaque values say whether they are new or known after apply. */
  static String show(Object value) {
    String text;
    if (value == null) {
      text = "(none)";
    } else if (value instanceof Opaque o) {
      text = o.text() + switch (o.kind()) {
        case STABLE -> "";
        case FRESH -> " (new)";
        case OPEN -> " (known after apply)";
      };
    } else {
      text = String.valueOf(value);
    }
    return text.replace("\r", "").replace('\n', ' ');
  }

  /**
   * Every resource of either side (and any the change set lists), each after the ones it refers to (Ref, GetAtt,
   * Fn::Sub, DependsOn), so a resource is judged knowing what happens to those.
   */
  private static List<String> dependencyOrder(Evaluation before, Evaluation after, Set<String> listed) {
    Map<String, Set<String>> dependsOn = new LinkedHashMap<>();
    for (Evaluation side : before == null ? List.of(after) : List.of(before, after)) {
      side.resources().forEach((id, declaration) -> {
        Set<String> deps = dependsOn.computeIfAbsent(id, k -> new LinkedHashSet<>());
        references(declaration, deps);
      });
    }
    listed.forEach(id -> dependsOn.computeIfAbsent(id, k -> new LinkedHashSet<>()));
    List<String> order = new ArrayList<>();
    Set<String> visiting = new LinkedHashSet<>();
    for (String id : dependsOn.keySet()) {
      visit(id, dependsOn, visiting, order);
    }
    return order;
  }

  private static void visit(String id, Map<String, Set<String>> dependsOn, Set<String> visiting, List<String> order) {
    if (order.contains(id) || !visiting.add(id)) {
      return; // done, or a cycle (CloudFormation refuses those): judged in document order
    }
    for (String dependency : dependsOn.getOrDefault(id, Set.of())) {
      if (dependsOn.containsKey(dependency)) {
        visit(dependency, dependsOn, visiting, order);
      }
    }
    order.add(id);
  }

  private static final Pattern SUB_NAME = Pattern.compile("\\$\\{([A-Za-z0-9]+)[.}]");

  /** The logical ids a declaration names: Ref, Fn::GetAtt, Fn::Sub variables, DependsOn. */
  private static void references(Object node, Set<String> into) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        String key = String.valueOf(k);
        if (key.equals("Ref") && v instanceof String s) {
          into.add(s);
        } else if (key.equals("Fn::GetAtt")) {
          into.add(String.valueOf(v instanceof List<?> l && !l.isEmpty() ? l.get(0) : String.valueOf(v)
              .split("\\.")[0]));
        } else if (key.equals("Fn::Sub")) {
          Matcher m = SUB_NAME.matcher(String.valueOf(v instanceof List<?> l && !l.isEmpty() ? l.get(0) : v));
          while (m.find()) {
            into.add(m.group(1));
          }
        } else if (key.equals("DependsOn")) {
          if (v instanceof List<?> l) {
            l.forEach(d -> into.add(String.valueOf(d)));
          } else {
            into.add(String.valueOf(v));
          }
        }
        references(v, into);
      });
    } else if (node instanceof List<?> list) {
      list.forEach(e -> references(e, into));
    }
  }
}
