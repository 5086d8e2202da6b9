package com.benchsci.deployer.testing;

import com.benchsci.deployer.emulator.MotoServer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The moto servers of one test class whose methods run side by side ({@code @Execution(CONCURRENT)}): a method takes
 * a server for itself, empty, and gives it back when it ends, so no two methods ever share an account. A server is
 * started only when none is free, so a class starts as many as its methods ran at once, not one per method. Made in
 * {@code @BeforeAll}, closed in {@code @AfterAll}: the servers are the class's own (docs/testing.md).
 */
public final class MotoPool implements AutoCloseable {

  private final String name;
  private final Deque<MotoServer> free = new ArrayDeque<>();
  private final List<MotoServer> started = new ArrayList<>();
  private int starts;

  /** {@code name}: the servers' logs are target/moto-NAME-N.log. */
  public MotoPool(String name) {
    this.name = name;
  }

  /** A server nobody else uses until {@link #give} returns it, with no resource in it. */
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
    // Started outside the lock: methods that begin together start their servers together.
    moto = MotoServer.start(Tools.cache(), Path.of("target/moto-" + name + "-" + number + ".log"));
    synchronized (this) {
      started.add(moto);
    }
    return moto;
  }

  public synchronized void give(MotoServer moto) {
    free.push(moto);
  }

  @Override
  public synchronized void close() {
    started.forEach(MotoServer::close);
  }
}
