package com.benchsci.app;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Tells systemd the app is ready (a {@code Type=notify} unit): one {@code READY=1} datagram to the AF_UNIX socket named
 * by NOTIFY_SOCKET, sent by this JVM itself. The sender matters: with {@code NotifyAccess=main} systemd accepts the
 * message only from the main process, which is what the kernel reports for this socket, whereas {@code systemd-notify
 * --ready} would send from a short-lived child that systemd ignores (or, with {@code NotifyAccess=all}, may fail to
 * attribute to the unit once the child has exited). The JDK has no AF_UNIX datagram socket, Netty's epoll transport
 * has one.
 */
final class SystemdNotify {
  private SystemdNotify() {}

  /**
   * Sends READY=1 when NOTIFY_SOCKET is set (a leading {@code @} names an abstract socket); otherwise does nothing.
   *
   * @throws IllegalStateException naming the socket when the message cannot be sent
   */
  static void ready(Vertx vertx, Optional<String> notifySocket) {
    if (notifySocket.isEmpty()) {
      return;
    }
    String name = notifySocket.get();
    String path = name.startsWith("@") ? '\0' + name.substring(1) : name;
    try {
      Channel channel = new Bootstrap()
          .group(Internals.eventLoops(vertx))
          .channel(EpollDomainDatagramChannel.class)
          // Sends need an active channel; an unbound one becomes active on registration only with this option.
          .option(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true)
          .handler(new ChannelHandlerAdapter() {})
          .register().sync().channel();
      try {
        channel.writeAndFlush(new DomainDatagramPacket(
            Unpooled.copiedBuffer("READY=1", StandardCharsets.US_ASCII), new DomainSocketAddress(path))).sync();
      } finally {
        channel.close();
      }
    } catch (Exception | LinkageError e) {
      throw new IllegalStateException("cannot tell systemd we are ready on NOTIFY_SOCKET=" + name + ": " + e, e);
    }
  }
}
