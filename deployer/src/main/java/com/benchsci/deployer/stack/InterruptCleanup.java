package com.benchsci.deployer.stack;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The SIGINT/SIGTERM path of a run, as a JVM shutdown hook: it runs a clean-up in a thread of its own and gives up
 * after a limit ({@link #LIMIT} for a deploy's change sets), so a hung endpoint cannot keep the JVM from exiting (each
 * call is bounded by the client's own time limits too).
 */
public final class InterruptCleanup {

  /** The longest a deploy's hook works before the JVM exits anyway. */
  public static final Duration LIMIT = Duration.ofSeconds(30);

  private final Thread hook;

  /** {@code cleanUp} does the work; {@code gaveUp} says what may be left when it did not finish in time. */
  InterruptCleanup(Runnable cleanUp, Consumer<Duration> gaveUp) {
    this(cleanUp, gaveUp, LIMIT);
  }

  /** As above, with the clean-up's own {@code limit} (deleting whole stacks takes minutes on AWS). */
  public InterruptCleanup(Runnable cleanUp, Consumer<Duration> gaveUp, Duration limit) {
    this.hook = new Thread(() -> {
      Thread work = new Thread(cleanUp, "deployer-cleanup-work");
      work.setDaemon(true);
      work.start();
      try {
        work.join(limit.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (work.isAlive()) {
        gaveUp.accept(limit);
      }
    }, "deployer-cleanup");
  }

  public void register() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  public void unregister() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is already running; it finds nothing left to do.
    }
  }
}
