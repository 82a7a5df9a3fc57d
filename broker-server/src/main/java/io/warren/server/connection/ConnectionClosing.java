package io.warren.server.connection;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.warren.amqp.AmqpProtocolException;
import io.warren.amqp.Frame;
import io.warren.amqp.MethodFrame;
import io.warren.amqp.generated.ConnectionClose;
import io.warren.amqp.generated.ConnectionCloseOk;
import io.warren.server.Broker;
import java.util.concurrent.TimeUnit;

/**
 * The close handshake of one connection, from either side: the client's connection.close answered with close-ok;
 * a hard error sent as connection.close with a bounded wait for close-ok; a refused login answered late. The
 * connection has already moved to its closing state and released its channels. Confined to the connection's event
 * loop.
 */
final class ConnectionClosing {
  private static final long CLOSE_OK_TIMEOUT_MS = 3000;
  private static final long LOGIN_CLOSE_OK_TIMEOUT_MS = 1000;

  private final Broker broker;
  private final AmqpConnection connection;

  ConnectionClosing(Broker broker, AmqpConnection connection) {
    this.broker = broker;
    this.connection = connection;
  }

  /** The client sent connection.close: close-ok, then the socket closes. */
  void byClient() {
    ChannelHandlerContext ctx = connection.context();
    connection.writeMethod(0, new ConnectionCloseOk());
    ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
  }

  /** A frame read while closing: only close-ok, or a close crossing ours, still matters. */
  void frame(Frame frame) {
    ChannelHandlerContext ctx = connection.context();
    if (frame instanceof MethodFrame mf && mf.channel() == 0) {
      if (mf.method() instanceof ConnectionCloseOk) {
        ctx.close();
      } else if (mf.method() instanceof ConnectionClose) {
        connection.writeMethod(0, new ConnectionCloseOk());
        ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
      }
      return;
    }
    ReferenceCountUtil.release(frame);
  }

  /** Sends connection.close for a hard error and waits (bounded) for close-ok. */
  void withError(AmqpProtocolException e) {
    if (e instanceof LoginRefused refused) {
      refuseLogin(refused);
      return;
    }
    // counted per peer and code: a client looping on the same error must not write a line per attempt
    broker.rejections().refused("connection error " + e.replyCode(), connection.peer(), "Closing connection "
        + connection.name() + " with error: " + e.replyCode() + " " + e.replyText());
    ChannelHandlerContext ctx = connection.context();
    connection.writeMethod(0, new ConnectionClose(e.replyCode(), e.replyText(), e.classId(), e.methodId()));
    connection.flushNow();
    ctx.executor().schedule(() -> {
      ctx.close();
    }, CLOSE_OK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * A failed login is answered only after {@code failed-login-delay} (as RabbitMQ delays it), with nothing read from
   * the socket meanwhile, so one connection cannot try passwords faster than one per delay. The wait is a timer on
   * the event loop, not a sleep. Then connection.close 403 for a client that asked for it, or a plain socket close.
   */
  private void refuseLogin(LoginRefused e) {
    broker.rejections().refused("login refused", connection.peer(), e.logLine());
    ChannelHandlerContext ctx = connection.context();
    ctx.channel().config().setAutoRead(false);
    ctx.executor().schedule(() -> {
      if (!ctx.channel().isActive()) {
        return;
      }
      if (!e.closeExpected()) {
        ctx.close();
        return;
      }
      connection.writeMethod(0, new ConnectionClose(e.replyCode(), e.replyText(), e.classId(), e.methodId()));
      connection.flushNow();
      ctx.channel().config().setAutoRead(true); // to read the client's close-ok, which closes the socket
      ctx.executor().schedule(() -> {
        ctx.close();
      }, LOGIN_CLOSE_OK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }, broker.config().limits().failedLoginDelayMillis(), TimeUnit.MILLISECONDS);
  }
}
