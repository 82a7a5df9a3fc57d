package io.warren.server.channel;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import io.warren.store.QueueEntry;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hand-off of deliveries from queue threads to the channel's event loop: a multi-producer queue drained by one
 * task, so that many deliveries cost one task and one flush. Bounded in count and bytes so that a slow consumer
 * stops the queue instead of filling the heap. The byte bound is the room left in the socket's outbound buffer (below
 * its high water mark): what waits here plus what waits there stays about one high water mark, plus at most one
 * message (or {@link #MIN_ROOM}). A fixed 16 MiB used to let a queue push sixteen 1 MB messages past a slow
 * consumer's socket, each of which then waited its turn behind the others. Producers: any thread; draining: the event
 * loop.
 */
final class Outbound {
  private static final int MAX_PENDING = 2048;
  /**
   * While the socket is writable a queue may always hand over this much, however little room is left below the high
   * water mark: small messages then go in batches rather than one queue turn per drain.
   */
  private static final long MIN_ROOM = 64 * 1024;

  /** One item for the event loop: a delivery, or a consumer cancelled by its queue (entry null). */
  record Item(ChannelConsumer consumer, QueueEntry entry, boolean redelivered) {}

  /** Receives items on the event loop. */
  interface Sink {
    void deliver(Item item);

    void consumerCancelled(ChannelConsumer consumer);

    void drained();
  }

  private final Queue<Item> items = PlatformDependent.newMpscQueue();
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final EventExecutor loop;
  private final OutboundSocket socket;
  private final Sink sink;
  private final Runnable drainTask = this::drain;

  Outbound(EventExecutor loop, OutboundSocket socket, Sink sink) {
    this.loop = loop;
    this.socket = socket;
    this.sink = sink;
  }

  boolean hasRoom() {
    long room = socket.room();
    return count.get() < MAX_PENDING && room > 0 && bytes.get() < Math.max(room, MIN_ROOM);
  }

  /**
   * While deliveries wait here or in the socket's outbound buffer: the bytes the connection has passed to its socket
   * so far, which grow as long as the client reads; -1 when nothing waits (then only the queue can hold a consumer
   * back). Any thread.
   */
  long progressWhileWaiting() {
    if (count.get() == 0 && socket.waiting() == 0) {
      return -1;
    }
    return socket.drained();
  }

  void add(ChannelConsumer consumer, QueueEntry entry, boolean redelivered) {
    count.incrementAndGet();
    bytes.addAndGet(entry.message().bodySize());
    items.offer(new Item(consumer, entry, redelivered));
    schedule();
  }

  void cancelled(ChannelConsumer consumer) {
    items.offer(new Item(consumer, null, false));
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      loop.execute(drainTask);
    }
  }

  private void drain() {
    scheduled.set(false);
    Item item;
    boolean any = false;
    while ((item = items.poll()) != null) {
      any = true;
      if (item.entry() == null) {
        sink.consumerCancelled(item.consumer());
        continue;
      }
      long size = item.entry().message().bodySize();
      try {
        sink.deliver(item);
      } finally {
        // only once written, when the socket's outbound buffer counts it: decremented before, a queue could find
        // room in neither while it moves from one to the other, and hand over one message more
        count.decrementAndGet();
        bytes.addAndGet(-size);
      }
    }
    if (any) {
      sink.drained();
    }
  }
}
