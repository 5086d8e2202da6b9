package com.benchsci.deployer.impact;

/** What a change does to one resource, as far as the values other resources take from it (Ref, GetAtt) go. */
enum Fate {
  /** Not touched: its id and attributes stay. */
  KEPT,
  /** Updated in place: same id, attributes may change. */
  UPDATED,
  /** Possibly replaced: its id may change. */
  MAYBE_REPLACED,
  /** Replaced: a new resource with a new id. */
  REPLACED,
  /** Created by this change. */
  ADDED;

  /** What {@code Ref} to the resource gives after the change. */
  Opaque ref(String logicalId) {
    return switch (this) {
      case KEPT, UPDATED -> Opaque.stable(logicalId);
      case MAYBE_REPLACED -> Opaque.open(logicalId);
      case REPLACED, ADDED -> Opaque.fresh(logicalId);
    };
  }

  /**
   * What {@code Fn::GetAtt} gives after the change. An identifier (an Arn, an ...Id) of a new resource is new;
   * any other attribute of a changed resource is known after apply only.
   */
  Opaque attribute(String logicalId, String attribute) {
    String name = logicalId + "." + attribute;
    return switch (this) {
      case KEPT -> Opaque.stable(name);
      case UPDATED, MAYBE_REPLACED -> Opaque.open(name);
      case REPLACED, ADDED -> attribute.equals("Arn") || attribute.endsWith("Id") ? Opaque.fresh(name)
          : Opaque.open(name);
    };
  }
}
