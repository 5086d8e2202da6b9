import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A connection flood for bench/app-flood.sh, one JDK source file so it runs wherever the app's JVM does:
 *   java bench/Flood.java idle|slowloris PORT COUNT SECONDS
 * idle: opens COUNT connections to 127.0.0.1:PORT and sends nothing. slowloris: each connection sends a request line
 * and then one more header line every second, never the blank line that ends the head. Connections the server closes
 * are opened again, as an attacker would. Runs for SECONDS, printing once a second how many are open, and at the end
 * {@code opened=N closed-by-server=M}.
 */
public final class Flood {
  private static final ByteBuffer START =
      ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
  private static final ByteBuffer MORE = ByteBuffer.wrap("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));

  public static void main(String[] args) throws Exception {
    boolean slow = args[0].equals("slowloris");
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]));
    int count = Integer.parseInt(args[2]);
    long end = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
    Selector selector = Selector.open();
    int open = 0;
    long opened = 0;
    long closedByServer = 0;
    long nextTick = System.nanoTime();
    ByteBuffer sink = ByteBuffer.allocate(4096);
    while (System.nanoTime() < end) {
      // Open up to COUNT, a few hundred per round so the accept queue is not overrun.
      for (int i = 0; i < 500 && open < count; i++) {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.connect(target);
        channel.register(selector, SelectionKey.OP_CONNECT);
        open++;
        opened++;
      }
      selector.select(100);
      for (SelectionKey key : selector.selectedKeys()) {
        SocketChannel channel = (SocketChannel) key.channel();
        try {
          if (key.isConnectable()) {
            channel.finishConnect();
            if (slow) {
              channel.write(START.duplicate());
            }
            key.interestOps(SelectionKey.OP_READ);
          } else if (key.isReadable()) {
            sink.clear();
            if (channel.read(sink) < 0) {
              throw new IOException("closed");
            }
          }
        } catch (IOException closed) {
          key.cancel();
          channel.close();
          open--;
          closedByServer++;
        }
      }
      selector.selectedKeys().clear();
      if (System.nanoTime() >= nextTick) {
        nextTick += 1_000_000_000L;
        if (slow) {
          for (SelectionKey key : selector.keys()) {
            if (key.isValid() && key.interestOps() == SelectionKey.OP_READ) {
              try {
                ((SocketChannel) key.channel()).write(MORE.duplicate());
              } catch (IOException closed) {
                // counted when the read sees the close
              }
            }
          }
        }
        System.out.println("open=" + open);
      }
    }
    System.out.println("opened=" + opened + " closed-by-server=" + closedByServer);
  }
}
