package io.warren.server.net;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches a connection for AMQP heartbeats: fires {@link IdleStateEvent#WRITER_IDLE_STATE_EVENT} when no byte was
 * written for the write interval (the connection then sends a heartbeat) and
 * {@link IdleStateEvent#READER_IDLE_STATE_EVENT} when no byte was read for the read timeout. Netty's IdleStateHandler
 * does the same but hooks a listener onto every write's promise, which turns each frame's void promise into a real one:
 * an allocation, a listener and a callback per frame, a third of the event loop's time when delivering small messages.
 * Here nothing happens per frame or per read: a timer, four times per write interval, compares the byte counts that
 * {@link SocketCounters} keeps anyway with those it saw last.
 *
 * <p>Confined to the connection's event loop.
 */
public final class Heartbeats extends ChannelInboundHandlerAdapter {
  public static final String NAME = "heartbeat";

  private final SocketCounters counters;
  private final long readTimeoutNanos;
  private final long writeIntervalNanos;
  private long lastRead;
  private long lastWrite;
  private long readSeen;
  private long writtenSeen;
  private ScheduledFuture<?> timer;

  /** @param heartbeatSeconds the negotiated interval: heartbeats go out at half of it, silence for two ends it */
  public Heartbeats(SocketCounters counters, int heartbeatSeconds) {
    this.counters = counters;
    this.readTimeoutNanos = TimeUnit.SECONDS.toNanos(heartbeatSeconds) * 2;
    this.writeIntervalNanos = TimeUnit.SECONDS.toNanos(heartbeatSeconds) / 2;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    long now = System.nanoTime();
    lastRead = now;
    lastWrite = now;
    readSeen = counters.receivedOctets();
    writtenSeen = counters.sentOctets();
    long tick = Math.max(1, writeIntervalNanos / 4);
    timer = ctx.executor().scheduleAtFixedRate(() -> check(ctx), tick, tick, TimeUnit.NANOSECONDS);
    ctx.channel().closeFuture().addListener(f -> stop());
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  private void check(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      stop();
      return;
    }
    long now = System.nanoTime();
    long written = counters.sentOctets();
    if (written != writtenSeen) {
      writtenSeen = written;
      lastWrite = now;
    }
    long read = counters.receivedOctets();
    if (read != readSeen) {
      readSeen = read;
      lastRead = now;
    } else if (now != lastRead) {
      // nothing read since the last check: bytes of a slowly sent large frame may wait under the socket's receive
      // low-water mark; let them be read, so that they count as the client's sign of life
      ctx.fireUserEventTriggered(ReadLowWater.READS_QUIET);
    }
    if (now - lastWrite >= writeIntervalNanos) {
      ctx.fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
      // the heartbeat was written just now: the next one is due a whole interval later
      writtenSeen = counters.sentOctets();
      lastWrite = now;
    }
    if (now - lastRead >= readTimeoutNanos) {
      ctx.fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
    }
  }

  /**
   * Counts the client's silence from now: called on the connection's event loop when reads had been paused (credit
   * flow, an alarm), during which its heartbeats could not be read. A full timeout then starts once reading resumes,
   * instead of one check tick, which a busy machine can take to read the socket again.
   */
  public void restartReadClock() {
    lastRead = System.nanoTime();
    readSeen = counters.receivedOctets();
  }

  private void stop() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
