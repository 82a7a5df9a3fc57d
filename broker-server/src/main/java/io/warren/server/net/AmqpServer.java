package io.warren.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.warren.server.Broker;
import io.warren.server.connection.AmqpConnection;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** The Netty listener for AMQP 0-9-1 clients. bind() and close() from any thread. */
public final class AmqpServer {
  /**
   * Netty's outbound buffer of a connection turns unwritable above this many bytes, and deliveries wait in their queue
   * until it is back under {@link #OUTBOUND_LOW}. Beyond what the kernel takes (warren.amqp.unsent-limit), a consumer
   * thus holds at most about one large message in the broker, or a quarter of a megabyte of small ones (hundreds of
   * messages, enough to keep its socket busy between two queue turns). With 1 MiB / 256 KiB, two 1 MB messages
   * waited here at once, and each delivery queued behind the other's megabyte (docs/performance.md, "Large messages").
   */
  static final int OUTBOUND_HIGH = 256 * 1024;
  static final int OUTBOUND_LOW = 128 * 1024;
  private final Broker broker;
  private final Clock clock;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final Class<? extends ServerChannel> channelClass;
  /** Set by bind(); read by port() from any thread (the management API lists the listener). */
  private volatile Channel serverChannel;
  /** Open client connections, so that a node that stops being primary can close them all with 320. */
  private final io.netty.channel.group.ChannelGroup clients =
      new io.netty.channel.group.DefaultChannelGroup("warren-clients", io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);

  public AmqpServer(Broker broker, Clock clock) {
    this.broker = broker;
    this.clock = clock;
    var amqp = broker.config().amqp();
    boolean epoll = amqp.nativeTransport() && Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    this.bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("warren-accept", true), io);
    int threads = amqp.ioThreads() == 0 ? Runtime.getRuntime().availableProcessors() : amqp.ioThreads();
    this.workerGroup = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("warren-io", true), io);
  }

  public void bind() {
    var amqp = broker.config().amqp();
    ServerBootstrap b = new ServerBootstrap()
        .group(bossGroup, workerGroup)
        .channel(channelClass)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(OUTBOUND_LOW, OUTBOUND_HIGH))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            clients.add(ch);
            ch.pipeline().addLast(SocketCounters.NAME, new SocketCounters());
            ch.pipeline().addLast(ProtocolHeaderHandler.NAME, new ProtocolHeaderHandler(broker.rejections(),
                ReadLowWater.markFor(amqp.receiveBuffer())));
            ch.pipeline().addLast(AmqpConnection.NAME, new AmqpConnection(broker, clock));
          }
        });
    if (amqp.receiveBuffer() > 0) {
      // bounds what a publisher paused by credit flow still pushes into the kernel (see conf/warren.conf)
      b.childOption(ChannelOption.SO_RCVBUF, amqp.receiveBuffer());
    }
    if (amqp.unsentLimit() > 0 && channelClass == EpollServerSocketChannel.class) {
      // keeps a slow reader's backlog in Netty's buffer, where deliveries wait for room, rather than megabytes of it
      // in the kernel; it then drains in small steps, which tell a queue that its consumer is still taking
      b.childOption(EpollChannelOption.TCP_NOTSENT_LOWAT, (long) amqp.unsentLimit());
    }
    try {
      serverChannel = b.bind(new InetSocketAddress(amqp.bindAddress(), amqp.port())).syncUninterruptibly().channel();
    } catch (Exception e) {
      throw new IllegalStateException("cannot listen on " + amqp.bindAddress() + ":" + amqp.port() + ": " + e, e);
    }
  }

  /** The bound port; 0 before bind(). */
  public int port() {
    Channel c = serverChannel;
    return c == null ? 0 : ((InetSocketAddress) c.localAddress()).getPort();
  }

  /**
   * Sends connection.close with {@code error} to every client (each on its own event loop) and stops accepting new
   * ones; the connections close once the clients answer or after the close-ok timeout.
   */
  public void closeClients(io.warren.amqp.AmqpProtocolException error) {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    for (Channel ch : clients) {
      ch.eventLoop().execute(() -> {
        AmqpConnection c = ch.pipeline().get(AmqpConnection.class);
        if (c != null) {
          c.closeWithError(error);
        } else {
          ch.close();
        }
      });
    }
  }

  /** Waits until every client connection has closed, at most {@code millis}; answers whether they all did. */
  public boolean awaitClientsClosed(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (Channel ch : clients) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !ch.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }

  public void close() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
