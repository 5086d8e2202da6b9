package com.benchsci.deployer.core;

/** What a deploy does beyond executing the change sets, where losing the stack or a dead site would hurt. */
public enum Safeguard {
  /** Every stack the deploy touches gets termination protection (enabled on create and on the next deploy). */
  TERMINATION_PROTECTION,
  /** After an executed deploy the app's public URL must answer the greeting over HTTP. */
  GREETING_CHECK
}
