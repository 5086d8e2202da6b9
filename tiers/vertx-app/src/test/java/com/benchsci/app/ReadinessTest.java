package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.hostharness.SelfSignedCertificate;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The app tells systemd it is ready the way a {@code Type=notify} unit expects: a {@code READY=1} datagram on the
 * AF_UNIX socket named by NOTIFY_SOCKET, bound here as systemd binds it, and only once both ports accept connections.
 */
@Tag("emulator")
class ReadinessTest {
  private static EventLoopGroup group;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private Channel notifySocket;
  private Process app;

  @BeforeAll
  static void eventLoop() {
    group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  }

  @AfterAll
  static void stopEventLoop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  @AfterEach
  void cleanUp() {
    if (app != null) {
      app.destroyForcibly();
    }
    if (notifySocket != null) {
      notifySocket.close();
    }
  }

  /** A path, as systemd uses for services, and an abstract name, written with a leading {@code @}. */
  @ParameterizedTest
  @ValueSource(strings = {"path", "abstract"})
  void readyComesOnceBothPortsListen(String kind, @TempDir Path dir) throws Exception {
    String name = kind.equals("path") ? dir.resolve("notify").toString() : "@hello-test-" + UUID.randomUUID();
    bind(name);
    SelfSignedCertificate cert = TestCertificate.create(dir);
    int http = JavaCommand.freePort();
    int https = JavaCommand.freePort();

    app = start(Map.of("HTTP_PORT", String.valueOf(http), "HTTPS_PORT", String.valueOf(https),
        "TLS_CERT_FILE", cert.certFile().toString(), "TLS_KEY_FILE", cert.keyFile().toString(),
        "NOTIFY_SOCKET", name));

    assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("READY=1");
    // Connections are refused until a port listens: these succeed only if readiness came after both listened.
    new Socket("127.0.0.1", http).close();
    new Socket("127.0.0.1", https).close();
    assertThat(received).isEmpty();
  }

  @Test
  void aFailedStartSendsNoReady(@TempDir Path dir) throws Exception {
    String name = dir.resolve("notify").toString();
    bind(name);
    try (ServerSocket taken = new ServerSocket(0)) {
      app = start(Map.of("HTTP_PORT", String.valueOf(taken.getLocalPort()), "NOTIFY_SOCKET", name));

      assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(app.exitValue()).isEqualTo(1);
    }
    // Datagrams on one socket arrive in order: had the app sent anything, it would come before this marker.
    send(name, "MARKER");
    assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("MARKER");
  }

  private void bind(String name) throws InterruptedException {
    notifySocket = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
        .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
            received.add(packet.content().toString(StandardCharsets.US_ASCII));
          }
        })
        .bind(new DomainSocketAddress(socketPath(name))).sync().channel();
  }

  private void send(String name, String message) throws InterruptedException {
    Channel sender = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
        .option(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true)
        .handler(new ChannelHandlerAdapter() {})
        .register().sync().channel();
    sender.writeAndFlush(new DomainDatagramPacket(Unpooled.copiedBuffer(message, StandardCharsets.US_ASCII),
        new DomainSocketAddress(socketPath(name)))).sync();
    sender.close().sync();
  }

  /** The address systemd's notation stands for: {@code @name} is the abstract socket "\0name". */
  private static String socketPath(String name) {
    return name.startsWith("@") ? '\0' + name.substring(1) : name;
  }

  private static Process start(Map<String, String> env) throws IOException {
    return JavaCommand.process(JavaCommand.of(Main.class), env)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }
}
