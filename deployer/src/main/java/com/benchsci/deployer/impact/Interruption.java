package com.benchsci.deployer.impact;

/** AWS's three update behaviours ("Update requires: ..."), least disruptive first. */
public enum Interruption {
  NONE("No interruption"),
  SOME("Some interruptions"),
  REPLACEMENT("Replacement");

  private final String documented;

  Interruption(String documented) {
    this.documented = documented;
  }

  /** The words the Template Reference uses. */
  public String documented() {
    return documented;
  }

  static Interruption ofDocumented(String words) {
    for (Interruption i : values()) {
      if (i.documented.equals(words)) {
        return i;
      }
    }
    throw new IllegalArgumentException("not an update behaviour of the Template Reference: '" + words + "'");
  }

  Interruption worst(Interruption other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
