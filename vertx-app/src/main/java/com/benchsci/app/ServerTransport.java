package com.benchsci.app;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioChannelOption;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.util.concurrent.ThreadFactory;

/**
 * The transport Vert.x runs on: Netty's native epoll where it loads (Linux), NIO elsewhere. Both listen with
 * SO_REUSEPORT, so a new instance of the app can bind the ports while the old one still serves, and both hand each
 * accepted connection to {@link Connections} before Vert.x sees it.
 */
final class ServerTransport implements Transport {
  private final Transport base;
  private final Connections connections;

  ServerTransport(Connections connections) {
    Transport epoll = Transport.EPOLL; // null when the epoll jar is absent
    this.base = epoll != null && epoll.available() ? epoll : Transport.NIO;
    this.connections = connections;
  }

  /** True when the native transport loaded, which {@link SystemdNotify} needs. */
  boolean isNative() {
    return base != Transport.NIO;
  }

  @Override
  public String name() {
    return base.name();
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public Throwable unavailabilityCause() {
    return null;
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return new Hooked(base.implementation(), !isNative(), connections);
  }

  /** The base implementation, with the listening options and the accept hook added to every server bootstrap. */
  private record Hooked(io.vertx.core.spi.transport.Transport base, boolean nio, Connections connections)
      implements io.vertx.core.spi.transport.Transport {

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      base.configure(options, domainSocket, bootstrap);
      // Vert.x's NIO transport ignores setReusePort; the epoll one applies it from the options.
      if (nio && !domainSocket && options.isReusePort()) {
        bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
      }
      bootstrap.handler(connections);
    }

    @Override
    public boolean supportsDomainSockets() {
      return base.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return base.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return base.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return base.unavailabilityCause();
    }

    @Override
    public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
      return base.convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
      return base.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return base.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
      return base.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
      return base.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      return base.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return base.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      return base.serverChannelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      base.configure(channel, options);
    }

    @Override
    public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
      base.configure(options, connectTimeout, domainSocket, bootstrap);
    }
  }
}
