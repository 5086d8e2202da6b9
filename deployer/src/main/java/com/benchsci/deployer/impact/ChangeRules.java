package com.benchsci.deployer.impact;

import java.util.List;

/**
 * The rule for a change at one path of a resource's properties, and whose word it is: the resource schema's
 * create-only properties decide replacement; AWS's documented update behaviours decide the interruption of the
 * rest; where the two disagree the more disruptive one is taken. A property in neither falls back to the schema
 * alone (the pages are generated from it).
 */
final class ChangeRules {

  /**
   * {@code requires}: the behaviour; {@code mayReplace}: replacement depends on the values (conditionally
   * create-only with no documented rule); {@code effect}: what it means here; {@code authority}: whose word it is;
   * {@code source}: the page it is documented on, or empty.
   */
  record Rule(Interruption requires, boolean mayReplace, String effect, String authority, String source) {}

  private final ResourceSchemas schemas;
  private final UpdateBehaviours behaviours;

  ChangeRules(ResourceSchemas schemas, UpdateBehaviours behaviours) {
    this.schemas = schemas;
    this.behaviours = behaviours;
  }

  Rule at(String type, List<Object> path) {
    boolean createOnly = ResourceSchemas.covers(schemas.createOnly(type), path);
    boolean conditional = ResourceSchemas.covers(schemas.conditionalCreateOnly(type), path);
    UpdateBehaviours.Documented documented = behaviours.at(type, path);
    if (createOnly) {
      return new Rule(Interruption.REPLACEMENT, false, documented == null ? "" : documented.effect(),
          "create-only in the resource schema", documented == null ? "" : documented.source());
    }
    if (documented != null) {
      String authority = "documented" + (documented.row().schemaNote().isEmpty() ? ""
          : ", the resource schema says less: the more disruptive is assumed");
      return new Rule(documented.requires(), false, documented.effect(), authority, documented.source());
    }
    if (conditional) {
      return new Rule(Interruption.SOME, true, "", "conditionally create-only in the resource schema, no documented"
          + " rule", "");
    }
    if (!schemas.knows(type)) {
      return new Rule(Interruption.SOME, true, "", "no resource schema for " + type, "");
    }
    return new Rule(Interruption.NONE, false, "", "updatable in the resource schema", "");
  }
}
