package com.benchsci.deployer.testing;

import com.benchsci.deployer.emulator.MotoServer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The moto servers of one test JVM, lent out empty: a test class (or, in a class whose methods run side by side, a
 * method) takes a server for itself and gives it back when it ends, so no two users ever share an account while one
 * holds it, and a server outlives its users. A server is started only when none is free, so a JVM starts as many as
 * were in use at once, not one per class: each fresh moto spends about 1.5 s of CPU importing its services on the
 * first calls, a reset one none (docs/testing.md). The servers stop with the JVM ({@link MotoServer}'s shutdown hook).
 */
public final class MotoPool {

  private static final MotoPool SHARED = new MotoPool();

  private final Deque<MotoServer> free = new ArrayDeque<>();
  private int starts;

  private MotoPool() {}

  /** The pool of this JVM. */
  public static MotoPool shared() {
    return SHARED;
  }

  /** A server nobody else uses until {@link #give} returns it, with no resource in it; its log is target/moto-N.log. */
  public MotoServer take() {
    MotoServer moto;
    int number;
    synchronized (this) {
      moto = free.poll();
      number = moto == null ? ++starts : 0;
    }
    if (moto != null) {
      moto.reset();
      return moto;
    }
    // Started outside the lock: users that begin together start their servers together.
    return MotoServer.start(Tools.cache(), Path.of("target/moto-" + number + ".log"));
  }

  /** Returns a server taken here; its user must have stopped every client and process that calls it. */
  public synchronized void give(MotoServer moto) {
    free.push(moto);
  }
}
