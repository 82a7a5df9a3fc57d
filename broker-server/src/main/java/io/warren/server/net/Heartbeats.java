package io.warren.server.net;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches a connection for AMQP heartbeats: fires {@link IdleStateEvent#WRITER_IDLE_STATE_EVENT} when nothing was
 * flushed for the write interval (the connection then sends a heartbeat) and {@link IdleStateEvent#READER_IDLE_STATE_EVENT}
 * when nothing was read for the read timeout. Netty's IdleStateHandler does the same but hooks a listener onto every
 * write's promise, which turns each frame's void promise into a real one: an allocation, a listener and a callback per
 * frame, a third of the event loop's time when delivering small messages. Here a flush and a socket read only stamp a
 * field (a write sets a flag), and one timer per quarter of the write interval looks at the stamps.
 *
 * <p>Confined to the connection's event loop.
 */
public final class Heartbeats extends ChannelDuplexHandler {
  public static final String NAME = "heartbeat";

  private final long readTimeoutNanos;
  private final long writeIntervalNanos;
  private long lastRead;
  private long lastWrite;
  /** Something was written since the last flush. */
  private boolean wrote;
  private ScheduledFuture<?> timer;

  /** @param heartbeatSeconds the negotiated interval: heartbeats go out at half of it, silence for two ends it */
  public Heartbeats(int heartbeatSeconds) {
    this.readTimeoutNanos = TimeUnit.SECONDS.toNanos(heartbeatSeconds) * 2;
    this.writeIntervalNanos = TimeUnit.SECONDS.toNanos(heartbeatSeconds) / 2;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    long now = System.nanoTime();
    lastRead = now;
    lastWrite = now;
    long tick = Math.max(1, writeIntervalNanos / 4);
    timer = ctx.executor().scheduleAtFixedRate(() -> check(ctx), tick, tick, TimeUnit.NANOSECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stop();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    lastRead = System.nanoTime();
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    wrote = true;
    ctx.write(msg, promise);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    // the connection flushes after every read batch, often with nothing written: only a flush of bytes counts
    if (wrote) {
      wrote = false;
      lastWrite = System.nanoTime();
    }
    ctx.flush();
  }

  private void check(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      stop();
      return;
    }
    long now = System.nanoTime();
    if (now - lastWrite >= writeIntervalNanos) {
      ctx.fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
    }
    if (now - lastRead >= readTimeoutNanos) {
      ctx.fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
    }
  }

  private void stop() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
