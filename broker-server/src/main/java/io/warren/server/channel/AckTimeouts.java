package io.warren.server.channel;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.warren.store.MessageQueue;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * When a channel checks its unacked deliveries against their consumer acknowledgement timeout (the queue's
 * {@code x-consumer-timeout}, else the broker's {@code warren.queues.consumer-timeout}). A check runs on the event
 * loop only while the channel has unacked deliveries, at a quarter of the shortest timeout involved (at most once a
 * second), so an idle or auto-ack channel costs nothing. Confined to the connection's event loop.
 */
final class AckTimeouts {
  private static final long MAX_INTERVAL = 1000;
  private static final long MIN_INTERVAL = 10;

  private final EventExecutor loop;
  private final Clock clock;
  private final long defaultTimeout;
  private final Runnable check;
  /** The shortest timeout of any queue this channel has had an unacked delivery from. */
  private long shortest = Long.MAX_VALUE;
  private ScheduledFuture<?> timer;
  private boolean closed;

  /** @param check looks for overdue deliveries; it calls {@link #delivered} or {@link #rearm} to keep checking */
  AckTimeouts(EventExecutor loop, Clock clock, long defaultTimeout, Runnable check) {
    this.loop = loop;
    this.clock = clock;
    this.defaultTimeout = defaultTimeout;
    this.check = check;
  }

  long now() {
    return clock.millis();
  }

  /** The acknowledgement timeout of deliveries from this queue (ms). */
  long timeoutOf(MessageQueue queue) {
    long t = queue.features().consumerTimeout();
    return t >= 0 ? t : defaultTimeout;
  }

  long shortest() {
    return shortest;
  }

  /** An unacked delivery from {@code queue} was made: make sure a check is coming. */
  void delivered(MessageQueue queue) {
    long t = timeoutOf(queue);
    if (t < shortest) {
      shortest = t;
      if (timer != null && timer.getDelay(TimeUnit.MILLISECONDS) > interval()) {
        timer.cancel(false); // a shorter timeout than the one the pending check was planned for
        timer = null;
      }
    }
    rearm();
  }

  /** Schedules the next check unless one is pending. */
  void rearm() {
    if (timer == null && !closed) {
      timer = loop.schedule(this::run, interval(), TimeUnit.MILLISECONDS);
    }
  }

  private long interval() {
    return Math.max(MIN_INTERVAL, Math.min(MAX_INTERVAL, shortest / 4));
  }

  private void run() {
    timer = null;
    if (!closed) {
      check.run();
    }
  }

  void close() {
    closed = true;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
