package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A stop's drain on real Netty channels. Netty closes a listening channel on its event loop, so between a stop's
 * {@code close()} and the close itself that loop may still accept connections. Here the listener's close is held at
 * exactly that point, as a busy acceptor thread holds it on a loaded host (the rollout that reset a request in CI).
 */
class ConnectionsTest {

  @Test
  void aStopWaitsForEveryConnectionTheListenerAcceptedBeforeItsCloseRan() {
    Connections connections = new Connections(10);
    HeldClose held = new HeldClose();
    EmbeddedChannel listener = new EmbeddedChannel(held, connections);
    EmbeddedChannel before = accept(listener);

    CompletableFuture<Void> listenersClosed = connections.stopAccepting();
    assertThat(connections.draining()).isTrue();
    before.close(); // answered with Connection: close, then closed: none open for a moment
    EmbeddedChannel late = accept(listener); // the acceptor ran the accept before the close
    held.release();

    assertThat(listenersClosed).isDone();
    assertThat(connections.allClosed())
        .as("drained while a connection the listener took is still open")
        .isNotDone();
    late.close();
    assertThat(connections.allClosed()).isDone();
  }

  @Test
  void aStopWithNoConnectionOpenIsDrainedOnceTheListenerHasClosed() {
    Connections connections = new Connections(10);
    HeldClose held = new HeldClose();
    EmbeddedChannel listener = new EmbeddedChannel(held, connections);

    connections.stopAccepting();
    assertThat(connections.allClosed()).isNotDone();
    held.release();

    assertThat(listener.isOpen()).isFalse();
    assertThat(connections.allClosed()).isDone();
  }

  /** A connection the listening channel accepted, as Netty's accept loop passes it up the listener's pipeline. */
  private static EmbeddedChannel accept(EmbeddedChannel listener) {
    EmbeddedChannel connection = new EmbeddedChannel();
    listener.writeInbound(connection);
    return connection;
  }

  /** Holds the listener's close until released, as its event loop holds it while busy with other work. */
  private static final class HeldClose extends ChannelOutboundHandlerAdapter {
    private ChannelHandlerContext ctx;
    private ChannelPromise promise;

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
      this.ctx = ctx;
      this.promise = promise;
    }

    void release() {
      ctx.close(promise);
    }
  }
}
