package io.warren.server.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.ConnectionException;
import io.warren.amqp.Frame;
import io.warren.amqp.FrameDecoder;
import io.warren.amqp.HeartbeatFrame;
import io.warren.amqp.MethodFrame;
import io.warren.amqp.generated.ReplyCode;
import io.warren.server.Broker;
import io.warren.server.net.Heartbeats;
import io.warren.server.net.ProtocolHeaderHandler;
import io.warren.server.net.SocketCounters;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A connection's opening, up to connection.open-ok: the deadline for it, the frames the handshake accepts (methods
 * on channel 0; heartbeats are ignored, anything else is refused with 503) and the tuning the client agreed (the
 * decoder's frame-max, the heartbeat timer). The {@link Handshake} itself answers the methods. Confined to the
 * connection's event loop.
 */
final class Opening {
  private final AmqpConnection connection;
  private final ChannelHandlerContext ctx;
  /** The socket's byte counters, which the heartbeat timer watches; null only in a bare test pipeline. */
  private final SocketCounters socket;
  private final ScheduledFuture<?> deadline;

  /**
   * Starts the deadline: a connection for which {@code stillOpening} is true when the configured handshake timeout
   * has passed is closed, and logged as refused.
   */
  Opening(Broker broker, AmqpConnection connection, ChannelHandlerContext ctx, SocketCounters socket,
      BooleanSupplier stillOpening) {
    this.connection = connection;
    this.ctx = ctx;
    this.socket = socket;
    long timeout = broker.config().limits().handshakeTimeoutMillis();
    this.deadline = ctx.executor().schedule(() -> {
      if (stillOpening.getAsBoolean()) {
        broker.rejections().refused("handshake timeout", connection.peer(), "Closing connection "
            + connection.name() + ": handshake not completed within " + timeout + " ms");
        ctx.close();
      }
    }, timeout, TimeUnit.MILLISECONDS);
  }

  /** The method a handshake frame carries; null for a heartbeat; a 503 for anything but a method on channel 0. */
  static AmqpMethod method(Frame frame) {
    if (frame instanceof HeartbeatFrame) {
      return null;
    }
    if (!(frame instanceof MethodFrame mf) || mf.channel() != 0) {
      ReferenceCountUtil.release(frame);
      throw new ConnectionException(ReplyCode.COMMAND_INVALID, "only connection methods on channel 0 are allowed "
          + "during the handshake");
    }
    return mf.method();
  }

  /**
   * Has the handshake answer {@code method} and applies what it agreed; returns its step after it, {@code DONE} once
   * connection.open was accepted (the registry has then admitted the connection, and the deadline is off).
   */
  Handshake.Step handle(Handshake handshake, AmqpMethod method) {
    AmqpMethod reply = handshake.handle(method);
    if (reply != null) {
      connection.writeMethod(0, reply);
    }
    if (handshake.step() == Handshake.Step.AWAIT_OPEN) {
      tune(handshake);
    }
    if (handshake.step() == Handshake.Step.DONE) {
      deadline.cancel(false);
    }
    return handshake.step();
  }

  /** The connection closed before or after opening: the deadline has nothing left to watch. */
  void cancel() {
    deadline.cancel(false);
  }

  private void tune(Handshake handshake) {
    FrameDecoder decoder = (FrameDecoder) ctx.pipeline().get(ProtocolHeaderHandler.FRAME_DECODER);
    decoder.setFrameMax(handshake.frameMax());
    int hb = handshake.heartbeat();
    if (hb > 0 && socket != null && ctx.pipeline().get(Heartbeats.NAME) == null) {
      // send at half the interval so a heartbeat is never late at the client; give up after two silent intervals
      ctx.pipeline().addBefore(ProtocolHeaderHandler.FRAME_DECODER, Heartbeats.NAME, new Heartbeats(socket, hb));
    }
  }
}
