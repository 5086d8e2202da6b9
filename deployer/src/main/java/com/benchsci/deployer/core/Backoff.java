package com.benchsci.deployer.core;

import java.time.Duration;

/** Poll delays that grow by half each time up to a ceiling: quick on an emulator, gentle on a long AWS update. */
public final class Backoff {

  private final Duration max;
  private Duration next;

  public Backoff(Duration first, Duration max) {
    this.next = first;
    this.max = max;
  }

  /** Sleeps for the current delay, then lengthens it. */
  public void pause() {
    try {
      Thread.sleep(next.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException("interrupted while waiting");
    }
    Duration grown = next.plus(next.dividedBy(2));
    next = grown.compareTo(max) > 0 ? max : grown;
  }
}
