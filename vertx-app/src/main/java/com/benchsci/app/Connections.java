package com.benchsci.app;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every connection of the process, seen as it is accepted and before Vert.x builds anything for it: the cap on how
 * many may be open, and the listening sockets, so a stop can close them first. Sits on each listening channel's
 * pipeline ahead of Netty's acceptor, which it hands the connections it keeps.
 */
@ChannelHandler.Sharable
final class Connections extends ChannelInboundHandlerAdapter {
  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicBoolean full = new AtomicBoolean();
  private final Set<Channel> listeners = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> allClosed = new CompletableFuture<>();
  private volatile boolean draining;
  // Set once every listener has closed: until then an acceptor may still hand over a connection, so none open is not
  // yet drained. Written after the closes and read after each connection's end, so one of the two sees both.
  private volatile boolean listenersClosed;

  Connections(int max) {
    this.max = max;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    listeners.add(ctx.channel());
    ctx.channel().closeFuture().addListener(closed -> listeners.remove(ctx.channel()));
  }

  /**
   * An accepted connection over the cap is closed at once: it is only a file descriptor and a bare Netty channel yet,
   * never registered with an event loop, so refusing it costs next to nothing however many arrive.
   */
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel connection = (Channel) msg;
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      Internals.closeUnregistered(connection);
      if (full.compareAndSet(false, true)) {
        Stdout.get().event("connection cap reached: " + max + " open, closing new connections until some end");
      }
      return;
    }
    connection.closeFuture().addListener(closed -> {
      int left = open.decrementAndGet();
      if (left < max * 9L / 10 && full.compareAndSet(true, false)) {
        Stdout.get().event("connections below the cap again: " + left + " open");
      }
      if (left == 0 && listenersClosed) {
        allClosed.complete(null);
      }
    });
    ctx.fireChannelRead(connection);
  }

  /** How many connections are open now. */
  int open() {
    return open.get();
  }

  /** Whether a stop has begun: answers should tell the client to close and then close. */
  boolean draining() {
    return draining;
  }

  /**
   * Closes the listening sockets, leaving the open connections be. With SO_REUSEPORT and
   * {@code net.ipv4.tcp_migrate_req=1}, connections the kernel had queued for these sockets move to another instance
   * listening on the same port instead of being reset.
   *
   * <p>Netty closes a listener on its event loop, which may accept more connections before it gets to the close: the
   * drain counts those too, however briefly none was open in between.
   *
   * @return completes when every listener is closed
   */
  CompletableFuture<Void> stopAccepting() {
    draining = true;
    List<ChannelFuture> closing = listeners.stream().map(Channel::close).toList();
    CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
    for (ChannelFuture close : closing) {
      CompletableFuture<Void> one = new CompletableFuture<>();
      close.addListener(f -> one.complete(null));
      done = done.thenCombine(one, (a, b) -> null);
    }
    return done.thenRun(() -> {
      listenersClosed = true;
      if (open.get() == 0) {
        allClosed.complete(null);
      }
    });
  }

  /** Completes once a stop has closed the listeners and the last connection they accepted has closed. */
  CompletableFuture<Void> allClosed() {
    return allClosed;
  }
}
