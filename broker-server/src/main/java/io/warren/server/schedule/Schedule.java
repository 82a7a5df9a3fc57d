package io.warren.server.schedule;

import io.netty.buffer.ByteBuf;
import io.warren.server.vhost.BrokerVhost;
import io.warren.store.QueueJournal;
import io.warren.store.durable.MessageStore;
import io.warren.store.durable.RecoveredMessages.RecoveredQueue;
import java.time.Clock;
import java.util.Comparator;
import java.util.PriorityQueue;
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
 * <p>Two threads. "warren-scheduler-read-ahead" takes the messages due within {@link #LOOKAHEAD_MILLIS} off the heap,
 * reads them back from the log and decodes them (at most {@link #MAX_STAGED} messages / {@link #MAX_STAGED_BYTES}
 * bytes held that way), so that the slow part of firing, including a cold JVM's first executions of it, happens
 * before the due time. "warren-scheduler" parks until the earliest due time (of the staged messages and of the heap:
 * a message scheduled with a short delay may not be staged), publishes each due message through {@link DueDelivery}
 * (which logs it again for its durable target queues; one not staged is read back first) and only then writes an
 * ACK record for the pseudo-queue (its {@link QueueJournal}, confined to that thread), so the log always holds a
 * message either scheduled or delivered, never neither.
 *
 * <p>Crash policy: a crash after the re-publish and before the ACK record delivers the message again after restart
 * (at-least-once, like any unacked message); scheduled records left in the log are re-heaped by recovery
 * ({@link #restore}) and the overdue ones fire right after start. Staged messages are only copies: on close they are
 * released and stay scheduled in the log. Transient (non-persistent) delayed messages are written the same way, so
 * they survive a restart too, as they do in the RabbitMQ plugin; once due they are delivered as transient messages.
 * Appends and {@link #restore}: any thread; reading ahead and firing: their own threads.
 */
public final class Schedule implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Schedule.class);
  /** The pseudo-queue holding scheduled messages; its "amq." name can never be declared by a client. */
  public static final String QUEUE = "amq.warren.scheduled";
  /** How far ahead of their due time messages are read back and decoded. */
  static final long LOOKAHEAD_MILLIS = 1000;
  /** Bounds on what is held read ahead, so that a burst due at one instant cannot fill the memory. */
  static final int MAX_STAGED = 65_536;
  static final long MAX_STAGED_BYTES = 64L << 20;
  /** Longest park without re-reading the clock, so an adjusted clock is noticed. */
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final int BATCH = 256;
  private static final int READ_BATCH = 64;
  private static final long POSITION_MASK = (1L << 48) - 1;

  /** A message read ahead of its due time. */
  private record Staged(long due, long entry, DueDelivery.Prepared prepared) {}

  private final MessageStore store;
  private final Clock clock;
  private final List<BrokerVhost> vhosts;
  private final Map<String, Integer> vhostIndex = new HashMap<>();
  private final DueDelivery delivery;
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when the heap or the staged messages change. */
  private final Condition changed = lock.newCondition();
  /** Guarded by lock. */
  private final DueHeap heap = new DueHeap();
  /**
   * Read ahead, earliest first (a later read may stage an earlier message: one scheduled meanwhile with a shorter
   * delay); guarded by lock.
   */
  private final PriorityQueue<Staged> staged = new PriorityQueue<>(
      Comparator.comparingLong(Staged::due).thenComparingLong(Staged::entry));
  /** Guarded by lock: bytes held by {@link #staged}, and messages taken off the heap being read ahead. */
  private long stagedBytes;
  private int reading;
  /** Confined to the firing thread. */
  private final QueueJournal[] journals;
  private final Thread firing;
  private final Thread readAhead;
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
    this.firing = new Thread(this::fireLoop, "warren-scheduler");
    this.firing.setDaemon(true);
    this.readAhead = new Thread(this::readAheadLoop, "warren-scheduler-read-ahead");
    this.readAhead.setDaemon(true);
  }

  public Clock clock() {
    return clock;
  }

  /** Starts reading ahead and firing; call after recovery. */
  public void start() {
    readAhead.start();
    firing.start();
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
      return heap.size() + staged.size() + reading;
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
      long entry = (long) vhost << 48 | position;
      heap.add(due, entry);
      if (heap.peekEntry() == entry && heap.peekDue() == due) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  // ---- reading ahead ----

  private void readAheadLoop() {
    long[] dues = new long[READ_BATCH];
    long[] entries = new long[READ_BATCH];
    DueDelivery.Prepared[] prepared = new DueDelivery.Prepared[READ_BATCH];
    while (!closed) {
      int n;
      try {
        n = takeSoonDue(dues, entries);
      } catch (InterruptedException e) {
        break;
      }
      for (int i = 0; i < n; i++) {
        try {
          prepared[i] = delivery.prepare(entries[i] & POSITION_MASK);
        } catch (RuntimeException e) {
          prepared[i] = null; // the firing thread tries again, and reports it
        }
      }
      lock.lock();
      try {
        for (int i = 0; i < n; i++) {
          staged.add(new Staged(dues[i], entries[i], prepared[i]));
          stagedBytes += prepared[i] == null ? 0 : prepared[i].size();
          prepared[i] = null;
        }
        reading -= n;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Parks until messages are due within the look-ahead and there is room; takes them off the heap. */
  private int takeSoonDue(long[] dues, long[] entries) throws InterruptedException {
    lock.lock();
    try {
      while (!closed) {
        long horizon = clock.millis() + LOOKAHEAD_MILLIS;
        boolean room = staged.size() < MAX_STAGED && stagedBytes < MAX_STAGED_BYTES;
        if (room && heap.size() > 0 && heap.peekDue() <= horizon) {
          int n = 0;
          while (n < dues.length && heap.size() > 0 && heap.peekDue() <= horizon) {
            dues[n] = heap.peekDue();
            entries[n++] = heap.peekEntry();
            heap.poll();
          }
          reading += n;
          return n;
        }
        long park = !room || heap.size() == 0 ? MAX_PARK_NANOS
            : Math.min(MAX_PARK_NANOS, TimeUnit.MILLISECONDS.toNanos(heap.peekDue() - horizon));
        changed.awaitNanos(park);
      }
      return 0;
    } finally {
      lock.unlock();
    }
  }

  // ---- firing ----

  private void fireLoop() {
    long[] entries = new long[BATCH];
    long[] dues = new long[BATCH];
    DueDelivery.Prepared[] prepared = new DueDelivery.Prepared[BATCH];
    while (!closed) {
      int n;
      try {
        n = takeDue(entries, dues, prepared);
      } catch (InterruptedException e) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (closed) {
          if (prepared[i] != null) {
            prepared[i].release();
          }
        } else {
          if (clock.millis() - dues[i] > 50) {
            lateFirings++;
          }
          fire(entries[i], prepared[i]);
          fired++;
        }
        prepared[i] = null;
      }
      flushJournals();
    }
  }

  /** Messages fired more than 50 ms after their due time since start (a measure of the scheduler's backlog). */
  public long lateFirings() {
    return lateFirings;
  }

  /**
   * Parks until something is due (or closed); fills the arrays with the due messages, earliest first, from the staged
   * ones and the heap ({@code prepared[i]} null for one to read back), and returns how many.
   */
  private int takeDue(long[] entries, long[] dues, DueDelivery.Prepared[] prepared) throws InterruptedException {
    lock.lock();
    try {
      while (!closed) {
        long now = clock.millis();
        int n = 0;
        while (n < entries.length) {
          Staged first = staged.peek();
          boolean heapFirst = heap.size() > 0 && (first == null || heap.peekDue() < first.due());
          if (heapFirst && heap.peekDue() <= now) {
            dues[n] = heap.peekDue();
            entries[n] = heap.peekEntry();
            prepared[n++] = null;
            heap.poll();
          } else if (!heapFirst && first != null && first.due() <= now) {
            staged.poll();
            stagedBytes -= first.prepared() == null ? 0 : first.prepared().size();
            dues[n] = first.due();
            entries[n] = first.entry();
            prepared[n++] = first.prepared();
          } else {
            break;
          }
        }
        if (n > 0) {
          changed.signalAll(); // room for the read-ahead
          return n;
        }
        long next = Long.MAX_VALUE;
        if (heap.size() > 0) {
          next = heap.peekDue();
        }
        if (!staged.isEmpty()) {
          next = Math.min(next, staged.peek().due());
        }
        long park = next == Long.MAX_VALUE ? MAX_PARK_NANOS
            : Math.min(MAX_PARK_NANOS, TimeUnit.MILLISECONDS.toNanos(next - now));
        changed.awaitNanos(park);
      }
      return 0;
    } finally {
      lock.unlock();
    }
  }

  private void fire(long entry, DueDelivery.Prepared prepared) {
    int index = (int) (entry >>> 48);
    long position = entry & POSITION_MASK;
    BrokerVhost vhost = vhosts.get(index);
    try {
      if (prepared != null) {
        delivery.publish(vhost, prepared);
      } else {
        delivery.deliver(vhost, position);
      }
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

  /**
   * Stops reading ahead and firing (what is still scheduled stays in the log for the next start); waits for the
   * threads and releases what was read ahead.
   */
  @Override
  public void close() {
    closed = true;
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Thread t : new Thread[] {readAhead, firing}) {
      if (t.isAlive()) {
        try {
          t.join(5000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    int held;
    lock.lock();
    try {
      Staged s;
      while ((s = staged.poll()) != null) {
        if (s.prepared() != null) {
          s.prepared().release();
        }
      }
      stagedBytes = 0;
      held = heap.size() + reading;
    } finally {
      lock.unlock();
    }
    LOG.info("Scheduler stopped: {} message(s) fired ({} more than 50 ms late), {} still scheduled", fired,
        lateFirings, held);
  }
}
