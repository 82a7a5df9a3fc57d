package io.warren.server.schedule;

import io.netty.buffer.ByteBuf;
import io.warren.server.vhost.BrokerVhost;
import io.warren.store.QueueJournal;
import io.warren.store.durable.MessageStore;
import io.warren.store.durable.RecoveredMessages.RecoveredQueue;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's durable schedule of messages held until a due time: delayed messages ({@code x-delayed-message}
 * exchanges) and delayed retries. Every scheduled message is a PUBLISH record in the message store for the reserved
 * pseudo-queue {@link #QUEUE} of its vhost, with its due time in the record (version 2, epoch ms), its target
 * exchange and routing key (the default exchange "" and the source queue's name for a retry). In memory there is only
 * a {@link DueHeap} entry per message: due (8 bytes) and {@code vhostIndex << 48 | position} (8 bytes).
 *
 * <p>One thread, "warren-scheduler", parks until the earliest due time, takes everything due, reads each message back
 * from the log, publishes it through {@link DueDelivery} (which logs it again for its durable target queues) and only
 * then writes an ACK record for the pseudo-queue (its {@link QueueJournal}, confined to that thread), so the log always
 * holds a message either scheduled or delivered, never neither.
 *
 * <p>Crash policy: a crash after the re-publish and before the ACK record delivers the message again after restart
 * (at-least-once, like any unacked message); scheduled records left in the log are re-heaped by recovery
 * ({@link #restore}) and the overdue ones fire right after start. Transient (non-persistent) delayed messages are
 * written the same way, so they survive a restart too, as they do in the RabbitMQ plugin; once due they are delivered
 * as transient messages. Appends and {@link #restore}: any thread; firing: its own thread.
 */
public final class Schedule implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Schedule.class);
  /** The pseudo-queue holding scheduled messages; its "amq." name can never be declared by a client. */
  public static final String QUEUE = "amq.warren.scheduled";
  /** Longest park without re-reading the clock, so an adjusted clock is noticed. */
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final int BATCH = 256;
  private static final long POSITION_MASK = (1L << 48) - 1;

  private final MessageStore store;
  private final Clock clock;
  private final List<BrokerVhost> vhosts;
  private final Map<String, Integer> vhostIndex = new HashMap<>();
  private final DueDelivery delivery;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition earlier = lock.newCondition();
  /** Guarded by lock. */
  private final DueHeap heap = new DueHeap();
  /** Confined to the firing thread. */
  private final QueueJournal[] journals;
  private final Thread thread;
  private volatile boolean closed;
  /** Written by the firing thread only. */
  private volatile long lateFirings;
  private volatile long fired;

  public Schedule(MessageStore store, Clock clock, Map<String, BrokerVhost> vhosts) {
    this.store = store;
    this.clock = clock;
    this.vhosts = List.copyOf(vhosts.values());
    for (int i = 0; i < this.vhosts.size(); i++) {
      vhostIndex.put(this.vhosts.get(i).name(), i);
    }
    this.journals = new QueueJournal[this.vhosts.size()];
    this.delivery = new DueDelivery(store, clock);
    this.thread = new Thread(this::run, "warren-scheduler");
    this.thread.setDaemon(true);
  }

  public Clock clock() {
    return clock;
  }

  /** Starts firing; call after recovery. */
  public void start() {
    thread.start();
  }

  /**
   * Writes a message to be published to {@code exchange} at {@code due} (epoch ms) and schedules it; returns its log
   * position. The buffers are only read (the caller keeps its references). Never waits for the disk.
   *
   * @throws io.warren.store.log.LogFailedException if the log has failed (nothing is scheduled)
   */
  public long schedule(BrokerVhost vhost, long due, int priority, long arrival, long expiresAt, String exchange,
      String routingKey, ByteBuf rawProperties, ByteBuf body) {
    int index = vhostIndex.get(vhost.name());
    long position = store.publish(priority, arrival, expiresAt, due, vhost.name(), exchange, routingKey,
        List.of(QUEUE), rawProperties, body);
    add(due, index, position);
    return position;
  }

  /** Re-schedules what recovery found for {@link #QUEUE} in a vhost (before {@link #start}). */
  public void restore(BrokerVhost vhost, RecoveredQueue recovered) {
    int index = vhostIndex.get(vhost.name());
    for (int i = 0; i < recovered.size(); i++) {
      long due = recovered.dues()[i];
      add(due < 0 ? 0 : due, index, recovered.ids()[i]);
    }
  }

  /** Messages scheduled and not fired yet. */
  public int size() {
    lock.lock();
    try {
      return heap.size();
    } finally {
      lock.unlock();
    }
  }

  private void add(long due, int vhost, long position) {
    if (position > POSITION_MASK) {
      throw new IllegalStateException("log position " + position + " beyond the schedule's 48 bits");
    }
    lock.lock();
    try {
      heap.add(due, (long) vhost << 48 | position);
      if (heap.peekEntry() == ((long) vhost << 48 | position) && heap.peekDue() == due) {
        earlier.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    long[] entries = new long[BATCH];
    long[] dues = new long[BATCH];
    int n;
    while (!closed) {
      try {
        n = takeDue(entries, dues);
      } catch (InterruptedException e) {
        break;
      }
      for (int i = 0; i < n && !closed; i++) {
        if (clock.millis() - dues[i] > 50) {
          lateFirings++;
        }
        fire(entries[i]);
        fired++;
      }
      flushJournals();
    }
  }

  /** Messages fired more than 50 ms after their due time since start (a measure of the scheduler's backlog). */
  public long lateFirings() {
    return lateFirings;
  }

  /** Parks until something is due (or closed); fills {@code out} with due entries and returns how many. */
  private int takeDue(long[] out, long[] outDues) throws InterruptedException {
    lock.lock();
    try {
      while (!closed) {
        long now = clock.millis();
        if (heap.size() > 0 && heap.peekDue() <= now) {
          int n = 0;
          while (n < out.length && heap.size() > 0 && heap.peekDue() <= now) {
            outDues[n] = heap.peekDue();
            out[n++] = heap.peekEntry();
            heap.poll();
          }
          return n;
        }
        long park = heap.size() == 0 ? MAX_PARK_NANOS
            : Math.min(MAX_PARK_NANOS, TimeUnit.MILLISECONDS.toNanos(heap.peekDue() - now));
        earlier.awaitNanos(park);
      }
      return 0;
    } finally {
      lock.unlock();
    }
  }

  private void fire(long entry) {
    int index = (int) (entry >>> 48);
    long position = entry & POSITION_MASK;
    BrokerVhost vhost = vhosts.get(index);
    try {
      delivery.deliver(vhost, position);
    } catch (RuntimeException e) {
      // unreadable or undeliverable: dropped rather than retried for ever
      LOG.warn("Dropping scheduled message {} of vhost '{}': {}", position, vhost.name(), e.toString());
    }
    QueueJournal journal = journals[index];
    if (journal == null) {
      journal = journals[index] = store.journal(vhost.name(), QUEUE);
    }
    journal.removed(position);
  }

  private void flushJournals() {
    for (QueueJournal j : journals) {
      if (j != null) {
        try {
          j.flush();
        } catch (RuntimeException e) {
          LOG.warn("Cannot write the scheduler's ack record: {}", e.toString());
        }
      }
    }
  }

  /** Stops firing (what is still scheduled stays in the log for the next start); waits for the thread. */
  @Override
  public void close() {
    closed = true;
    lock.lock();
    try {
      earlier.signalAll();
    } finally {
      lock.unlock();
    }
    if (thread.isAlive()) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    LOG.info("Scheduler stopped: {} message(s) fired ({} more than 50 ms late), {} still scheduled", fired,
        lateFirings, size());
  }
}
