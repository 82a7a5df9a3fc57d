package io.warren.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.AmqpProtocolException;
import io.warren.amqp.ConnectionException;
import io.warren.amqp.Frame;
import io.warren.amqp.FrameDecoder;
import io.warren.amqp.FrameWriter;
import io.warren.amqp.HeartbeatFrame;
import io.warren.amqp.MethodFrame;
import io.warren.amqp.generated.ReplyCode;
import io.warren.amqp.generated.ChannelOpen;
import io.warren.amqp.generated.ConnectionClose;
import io.warren.amqp.generated.ConnectionUpdateSecret;
import io.warren.amqp.generated.ConnectionUpdateSecretOk;
import io.warren.server.Broker;
import io.warren.server.auth.User;
import io.warren.server.channel.AmqpChannel;
import io.warren.server.net.Heartbeats;
import io.warren.server.net.ProtocolHeaderHandler;
import io.warren.server.net.SocketCounters;
import io.warren.server.vhost.BrokerVhost;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the Netty handler that drives the handshake, heartbeats and blocking, dispatches frames to
 * its channels and turns failures into connection-level errors. Its opening ({@link Opening}), channel table, whether
 * it reads ({@link ReadGate}), close handshake and the registry's snapshot of it live in classes of their own;
 * channels only dispatch methods. Confined to the connection's event loop.
 */
public final class AmqpConnection extends ChannelInboundHandlerAdapter implements
    io.warren.server.registry.LiveConnection {
  public static final String NAME = "amqp-connection";
  private static final Logger LOG = LoggerFactory.getLogger(AmqpConnection.class);

  private enum State { AWAIT_HEADER, HANDSHAKE, OPEN, CLOSING, CLOSED }

  private final Broker broker;
  private final Clock clock;
  private final ChannelTable channels;
  private final ConnectionClosing closing;
  private ChannelHandlerContext ctx;
  private Handshake handshake;
  private State state = State.AWAIT_HEADER;
  private String name = "?";
  private InetAddress peer;
  /** The handshake's deadline, frames and tuning; set when the channel is active. */
  private Opening opening;
  private boolean flushScheduled;
  /** Whether the socket is read (alarms, credit flow); set when the channel is active. */
  private ReadGate gate;
  private final Runnable flushTask = this::flushNow;
  /** Set once the registry admitted this connection (it must then be told when it closes). */
  private volatile boolean admitted;
  private volatile long connectedAt;
  /** The socket's byte counters (first in the pipeline); null only in tests that build a bare pipeline. */
  private volatile SocketCounters socket;

  public AmqpConnection(Broker broker, Clock clock) {
    this.broker = broker;
    this.clock = clock;
    this.channels = new ChannelTable(broker.registry().connections());
    this.closing = new ConnectionClosing(broker, this);
  }

  // ---- Netty events -------------------------------------------------------------------------------------------

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.gate = new ReadGate(this, broker, ctx);
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
    peer = remote.getAddress();
    name = remote.getAddress().getHostAddress() + ":" + remote.getPort() + " -> "
        + local.getAddress().getHostAddress() + ":" + local.getPort();
    connectedAt = System.currentTimeMillis();
    socket = ctx.pipeline().get(SocketCounters.class);
    opening = new Opening(broker, this, ctx, socket, () -> state == State.AWAIT_HEADER || state == State.HANDSHAKE);
    ctx.fireChannelActive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ProtocolHeaderHandler.ProtocolHeaderAccepted.INSTANCE) {
      handshake = new Handshake(broker, peer, this);
      state = State.HANDSHAKE;
      writeMethod(0, handshake.start());
      flushNow();
    } else if (evt instanceof IdleStateEvent idle) {
      if (idle.state() == IdleState.READER_IDLE && gate.pausedSinceAsked()) {
        // we stopped reading, so the client's heartbeats were not read either: its silence counts from now
        if (ctx.pipeline().get(Heartbeats.NAME) instanceof Heartbeats heartbeats) {
          heartbeats.restartReadClock();
        }
        return;
      }
      if (idle.state() == IdleState.READER_IDLE) {
        LOG.warn("Closing connection {}: missed heartbeats from client, timeout: {}s", name, handshake.heartbeat());
        ctx.close();
      } else if (idle.state() == IdleState.WRITER_IDLE) {
        ByteBuf hb = ctx.alloc().ioBuffer(8);
        FrameWriter.writeHeartbeat(hb);
        ctx.writeAndFlush(hb, ctx.voidPromise());
      }
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Frame frame)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      onFrame(frame);
    } catch (AmqpProtocolException e) {
      // no release here: whoever throws has already released the frame (the CommandAssembler always does), and a
      // second release of a content frame threw IllegalReferenceCountException, dropping the socket without a close
      if (e.connectionLevel()) {
        closeWithError(e);
      } else {
        // a channel error raised outside a channel (should not happen); treat as a connection error
        closeWithError(new ConnectionException(e.code(), e.getMessage(), e.classId(), e.methodId()));
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushNow();
  }

  /** Whether a channel of this connection has a consumer; event loop only. */
  boolean consumes() {
    for (AmqpChannel c : channels.values()) {
      if (c.consumes()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      channels.values().forEach(AmqpChannel::resumeDeliveries);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (c instanceof io.warren.amqp.UnknownMethodException e && state != State.CLOSED) {
      // as RabbitMQ 3.10, whose reader gives up on a method it cannot name: the socket is dropped without a close
      broker.rejections().refused("unknown method", peer, "Closing connection " + name + ": " + e.getMessage());
      state = State.CLOSED;
      ctx.close();
      return;
    }
    if (c instanceof AmqpProtocolException e && state != State.CLOSED) {
      closeWithError(e.connectionLevel() ? e : new ConnectionException(e.code(), e.getMessage()));
      FrameDecoder decoder = (FrameDecoder) ctx.pipeline().get(ProtocolHeaderHandler.FRAME_DECODER);
      if (decoder != null && decoder.broken()) {
        // The stream is out of step, so a close-ok could never be read: end the connection once connection.close
        // is written. Not with a plain close: what the client sent after the broken frame is still unread, and
        // closing a socket with unread input resets the connection, which can make the client lose connection.close
        // (seen with an oversized body). So the output ends (the client reads the close, then the end of the
        // stream) while the decoder drops whatever else arrives, until the client closes or a second has passed.
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE_ON_FAILURE)
            .addListener(f -> endAfterFramingError(ctx));
      }
      return;
    }
    if (state == State.CLOSED && (c instanceof AmqpProtocolException || c instanceof java.io.IOException)) {
      // the connection was already given up on: the rest of a garbled stream, or its socket's reset, adds nothing
      // (logging each would let a fuzzing client write an ERROR with a stack trace per connection)
      LOG.debug("Connection {} after close: {}", name, c.toString());
      ctx.close();
      return;
    }
    if (c instanceof java.io.IOException && (handshake == null || handshake.step() != Handshake.Step.DONE)) {
      broker.rejections().refused("I/O error before the handshake completed", peer, "Connection " + name
          + " I/O error: " + c.getMessage());
    } else if (c instanceof java.io.IOException) {
      LOG.info("Connection {} I/O error: {}", name, c.getMessage());
    } else {
      LOG.error("Connection {} failed", name, c);
    }
    ctx.close();
  }

  private static void endAfterFramingError(ChannelHandlerContext ctx) {
    if (ctx.channel() instanceof io.netty.channel.socket.DuplexChannel duplex && ctx.channel().isActive()) {
      duplex.shutdownOutput();
      ctx.executor().schedule(() -> ctx.close(), 1, java.util.concurrent.TimeUnit.SECONDS);
    } else {
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (opening != null) {
      opening.cancel();
    }
    boolean wasOpen = handshake != null && handshake.step() == Handshake.Step.DONE;
    state = State.CLOSED;
    channels.releaseAll(userName());
    if (admitted) {
      admitted = false;
      broker.registry().connections().closed(this);
      broker.churn().connectionsClosed.increment();
    }
    if (wasOpen) {
      broker.memoryAlarm().unregister(gate);
      broker.diskAlarm().unregister(gate);
      gate.closed();
      handshake.vhost().deleteOwnedBy(this);
      LOG.info("Connection {} closed (user '{}', vhost '{}')", name, handshake.user().name(),
          handshake.vhost().name());
    }
    ctx.fireChannelInactive();
  }

  // ---- frames -------------------------------------------------------------------------------------------------

  private void onFrame(Frame frame) {
    switch (state) {
      case HANDSHAKE -> onHandshakeFrame(frame);
      case OPEN -> onOpenFrame(frame);
      case CLOSING -> closing.frame(frame);
      default -> ReferenceCountUtil.release(frame);
    }
  }

  private void onHandshakeFrame(Frame frame) {
    AmqpMethod m = Opening.method(frame);
    if (m == null) {
      return;
    }
    if (m instanceof ConnectionClose) {
      onClientClose();
      return;
    }
    if (opening.handle(handshake, m) == Handshake.Step.DONE) {
      admitted = true;
      broker.churn().connectionsOpened.increment();
      state = State.OPEN;
      broker.memoryAlarm().register(gate);
      broker.diskAlarm().register(gate);
      LOG.info("Connection {} opened (user '{}', vhost '{}')", name, handshake.user().name(),
          handshake.vhost().name());
    }
  }

  private void onOpenFrame(Frame frame) {
    int channel = frame.channel();
    if (channel == 0) {
      onChannelZero(frame);
      return;
    }
    AmqpChannel ch = channels.get(channel);
    if (ch == null) {
      if (frame instanceof MethodFrame mf && mf.method() instanceof ChannelOpen) {
        openChannel(channel);
        return;
      }
      if (channels.closedByBroker(channel)) {
        // sent before the client saw our channel.close, but written after its close-ok (see ChannelTable)
        ReferenceCountUtil.release(frame);
        return;
      }
      if (frame instanceof MethodFrame mf) {
        throw new ConnectionException(ReplyCode.CHANNEL_ERROR, "expected 'channel.open' on channel " + channel,
            mf.method().classId(), mf.method().methodId());
      }
      // as RabbitMQ: content on a channel that has seen no method is out of order before it is on a closed channel
      ReferenceCountUtil.release(frame);
      throw new ConnectionException(ReplyCode.UNEXPECTED_FRAME, "expected method frame, got non method frame "
          + "instead");
    }
    if (frame instanceof MethodFrame mf && mf.method() instanceof ChannelOpen) {
      throw new ConnectionException(ReplyCode.CHANNEL_ERROR, "second 'channel.open' seen on channel " + channel,
          20, 10);
    }
    ch.onFrame(frame);
  }

  private void onChannelZero(Frame frame) {
    if (frame instanceof HeartbeatFrame) {
      return;
    }
    if (!(frame instanceof MethodFrame mf)) {
      ReferenceCountUtil.release(frame);
      throw new ConnectionException(ReplyCode.UNEXPECTED_FRAME, "content frame on channel 0");
    }
    AmqpMethod m = mf.method();
    if (m instanceof ConnectionClose) {
      onClientClose();
    } else if (m instanceof ConnectionUpdateSecret) {
      writeMethod(0, new ConnectionUpdateSecretOk());
    } else {
      // RabbitMQ answers any other method on channel 0 of an open connection with 504, whatever its class
      throw new ConnectionException(ReplyCode.CHANNEL_ERROR, "unexpected method '" + m.amqpName()
          + "' in connection state running", m.classId(), m.methodId());
    }
  }

  private void openChannel(int channel) {
    // RabbitMQ refuses channels beyond channel_max with 530 NOT_ALLOWED (it counts open channels; numbers above
    // channel-max are what the spec forbids, and with them refused the count can never exceed it either)
    if (channel > handshake.channelMax()) {
      throw new ConnectionException(ReplyCode.NOT_ALLOWED, "channel number " + channel + " is above the "
          + "negotiated channel_max (" + handshake.channelMax() + ")", 20, 10);
    }
    channels.opening(handshake.user().name());
    channels.put(channel, new AmqpChannel(this, channel, clock));
    writeMethod(channel, new io.warren.amqp.generated.ChannelOpenOk());
  }

  private void onClientClose() {
    state = State.CLOSING;
    channels.releaseAll(userName());
    closing.byClient();
  }

  /** Sends connection.close for a hard error and waits (bounded) for close-ok. */
  public void closeWithError(AmqpProtocolException e) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    state = State.CLOSING;
    channels.releaseAll(userName());
    closing.withError(e);
  }

  /** A channel finished its close handshake (close-ok received or sent). */
  public void channelClosed(int channel) {
    channels.remove(channel, handshake.user().name());
  }

  /** A channel the broker closed with an error got its close-ok: frames still arriving for it are dropped. */
  public void channelClosedByBroker(int channel) {
    channels.removeClosedByBroker(channel, handshake.user().name());
  }

  // ---- the registry's view ------------------------------------------------------------------------------------

  @Override
  public String userName() {
    return handshake == null || handshake.user() == null ? null : handshake.user().name();
  }

  @Override
  public String vhostName() {
    return handshake == null ? null : handshake.vhostName();
  }

  @Override
  public io.warren.server.registry.ConnectionInfo info() {
    String st = state == State.OPEN ? gate.state()
        : state == State.CLOSED ? "closed" : "closing";
    return ConnectionSnapshot.of(ctx.channel(), name, userName(), vhostName(), handshake, socket, st, connectedAt,
        channels.count());
  }

  @Override
  public java.util.concurrent.CompletableFuture<java.util.List<io.warren.server.registry.ChannelInfo>> channels() {
    return channels.infos(ctx.executor(), this::isOpen);
  }

  @Override
  public void close(String reason) {
    ctx.executor().execute(() -> closeWithError(new ConnectionException(ReplyCode.CONNECTION_FORCED, reason)));
  }

  // ---- writing ------------------------------------------------------------------------------------------------

  public void writeMethod(int channel, AmqpMethod method) {
    ctx.write(FrameWriter.encodeMethod(ctx.alloc(), channel, method), ctx.voidPromise());
  }

  /** Flushes soon, once, on the event loop: callers writing from tasks rather than reads use this. */
  public void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      ctx.executor().execute(flushTask);
    }
  }

  void flushNow() {
    flushScheduled = false;
    ctx.flush();
  }

  // ---- flow control -------------------------------------------------------------------------------------------

  /**
   * A channel publishes: under a memory or disk alarm, this connection is blocked (it stops reading) and the answer
   * is true: the publish then waits for {@link #unblocked()}.
   */
  public boolean notePublish() {
    return gate.notePublish();
  }

  /** While blocked by an alarm: completes once it is unblocked, or closed. */
  public java.util.concurrent.CompletableFuture<Void> unblocked() {
    return gate.unblocked();
  }

  /** Credit flow of this connection's publishers; on the event loop. */
  public io.warren.server.flow.PublishFlow publishFlow() {
    return gate.flow();
  }

  // ---- accessors for channels ---------------------------------------------------------------------------------

  public ChannelHandlerContext context() {
    return ctx;
  }

  public Broker broker() {
    return broker;
  }

  public User user() {
    return handshake.user();
  }

  public BrokerVhost vhost() {
    return handshake.vhost();
  }

  public int frameMax() {
    return handshake.frameMax();
  }

  public boolean isWritable() {
    return ctx.channel().isWritable();
  }

  public boolean isOpen() {
    return state == State.OPEN;
  }

  public String name() {
    return name;
  }

  InetAddress peer() {
    return peer;
  }

  @Override
  public String toString() {
    return "AmqpConnection[" + name + "]";
  }
}
