package com.benchsci.deployer.stack;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The SIGINT/SIGTERM path of a run, as a JVM shutdown hook: it runs the lease's clean-up in a thread of its own and
 * gives up after {@link #LIMIT}, so a hung endpoint cannot keep the JVM from exiting (each call is bounded by the
 * client's own time limits too).
 */
final class InterruptCleanup {

  /** The longest the hook works before the JVM exits anyway. */
  static final Duration LIMIT = Duration.ofSeconds(30);

  private final Thread hook;

  /** {@code cleanUp} does the work; {@code gaveUp} says what may be left when it did not finish in time. */
  InterruptCleanup(Runnable cleanUp, Consumer<Duration> gaveUp) {
    this.hook = new Thread(() -> {
      Thread work = new Thread(cleanUp, "deployer-cleanup-work");
      work.setDaemon(true);
      work.start();
      try {
        work.join(LIMIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (work.isAlive()) {
        gaveUp.accept(LIMIT);
      }
    }, "deployer-cleanup");
  }

  void register() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  void unregister() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is already running; it finds nothing left to do.
    }
  }
}
