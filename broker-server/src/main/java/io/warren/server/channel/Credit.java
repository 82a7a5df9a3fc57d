package io.warren.server.channel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A prefetch window: how many deliveries may be unacknowledged at once (0 = unlimited). Taken on queue threads,
 * given back on the channel's event loop, hence atomic. Thread-safe.
 */
final class Credit {
  private volatile int limit;
  private final AtomicInteger used = new AtomicInteger();

  Credit(int limit) {
    this.limit = limit;
  }

  boolean tryTake() {
    while (true) {
      int max = limit;
      int u = used.get();
      if (max != 0 && u >= max) {
        return false;
      }
      if (used.compareAndSet(u, u + 1)) {
        return true;
      }
    }
  }

  /** True when a delivery would fit in the window now (a no-ack delivery checks, but takes nothing). */
  boolean hasRoom() {
    int max = limit;
    return max == 0 || used.get() < max;
  }

  void giveBack() {
    used.decrementAndGet();
  }

  /** Gives back a unit of credit that was taken but will not be used for a delivery. */
  void cancelTake() {
    used.decrementAndGet();
  }

  int limit() {
    return limit;
  }

  /** basic.qos changed the window; deliveries already out stay counted. */
  void limit(int newLimit) {
    limit = newLimit;
  }
}
