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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's durable schedule of messages held until a due time: delayed messages ({@code x-delayed-message}
 * exchanges) and delayed retries. Every scheduled message is a PUBLISH record in the message store for the reserved
 * pseudo-queue {@link #QUEUE} of its vhost, with its due time in the record (version 2, epoch ms), its target
 * exchange and routing key (the default exchange "" and the source queue's name for a retry). In memory there is only
 * a {@link DueHeap} entry per message: due (8 bytes) and {@code vhostIndex << 48 | position} (8 bytes).
 *
 * <p>Two threads share a {@link ScheduledSet}. "warren-scheduler-read-ahead" takes the messages due within
 * {@link ScheduledSet#LOOKAHEAD_MILLIS} off the heap, reads them back from the log and decodes them (bounded by
 * {@link ScheduledSet#MAX_STAGED} messages and {@link ScheduledSet#MAX_STAGED_BYTES} bytes), so that the slow part of
 * firing, including a cold JVM's first executions of it, happens before the due time. "warren-scheduler" parks until
 * the earliest due time (of the staged messages and of the heap: a message scheduled with a short delay may not be
 * staged), publishes each due message through {@link DueDelivery} (which logs it again for its durable target queues;
 * one not staged is read back first) and only then writes an ACK record for the pseudo-queue (its
 * {@link QueueJournal}, confined to that thread), so the log always holds a message either scheduled or delivered,
 * never neither. Every second it also copies forward (a bounded step) the records of messages due much later that the log has left far
 * behind ({@link #relocate}), so that a long delay does not keep every later segment on disk.
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
  private static final int BATCH = 256;
  private static final int READ_BATCH = 64;
  private static final long POSITION_MASK = (1L << 48) - 1;
  /**
   * A scheduled message written this far behind the end of the log is copied forward (and its old record acked), so
   * that a long delay does not keep every later segment on disk.
   */
  static final long RELOCATE_BEHIND_BYTES = 256L << 20;
  /** Messages due sooner than this are not copied: they fire, and free their record, soon enough. */
  static final long RELOCATE_MIN_REMAINING_MILLIS = 60_000;
  /** Relocation runs this often on the firing thread, a bounded step at a time, so that firing stays on time. */
  private static final long RELOCATE_PERIOD_MILLIS = 1000;
  private static final int RELOCATE_BATCH = 1000;
  private static final int RELOCATE_SCAN = 65_536;

  private final MessageStore store;
  private final Clock clock;
  /** Every vhost ever registered, by index (a deleted one stays, so that its entries can be told apart). */
  private volatile BrokerVhost[] vhosts = new BrokerVhost[0];
  /** The index of each live vhost's name; guarded by this schedule's monitor for writes. */
  private final Map<String, Integer> vhostIndex = new java.util.concurrent.ConcurrentHashMap<>();
  private final DueDelivery delivery;
  /** What is scheduled: the heap and the messages read ahead. */
  private final ScheduledSet set;
  /** Confined to the firing thread. */
  private QueueJournal[] journals = new QueueJournal[0];
  private final Thread firing;
  private final Thread readAhead;
  private volatile boolean closed;
  /** Written by the firing thread only. */
  private volatile long lateFirings;
  private volatile long fired;
  private final long relocateBehindBytes;
  /** Confined to the firing thread. */
  private long nextRelocation;
  private volatile long relocated;

  public Schedule(MessageStore store, Clock clock, Map<String, BrokerVhost> vhosts) {
    this(store, clock, vhosts, RELOCATE_BEHIND_BYTES);
  }

  /** @param relocateBehindBytes how far behind the log's end a scheduled record is copied forward (tests) */
  Schedule(MessageStore store, Clock clock, Map<String, BrokerVhost> vhosts, long relocateBehindBytes) {
    this.relocateBehindBytes = relocateBehindBytes;
    this.set = new ScheduledSet(clock);
    this.store = store;
    this.clock = clock;
    vhosts.values().forEach(this::register);
    this.delivery = new DueDelivery(store, clock);
    this.firing = new Thread(this::fireLoop, "warren-scheduler");
    this.firing.setDaemon(true);
    this.readAhead = new Thread(this::readAheadLoop, "warren-scheduler-read-ahead");
    this.readAhead.setDaemon(true);
  }

  /**
   * Adds a vhost (at start or when one is created at run time); a vhost created again under the name of a deleted
   * one gets a new index, so the old one's entries are dropped when they fire. Any thread.
   */
  public synchronized void register(BrokerVhost vhost) {
    BrokerVhost[] grown = java.util.Arrays.copyOf(vhosts, vhosts.length + 1);
    grown[vhosts.length] = vhost;
    vhosts = grown;
    vhostIndex.put(vhost.name(), grown.length - 1);
  }

  /** Forgets a deleted vhost: what it had scheduled is dropped when due (its records went with the vhost). */
  public synchronized void unregister(BrokerVhost vhost) {
    vhostIndex.remove(vhost.name(), indexOf(vhost));
  }

  private int indexOf(BrokerVhost vhost) {
    BrokerVhost[] all = vhosts;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == vhost) {
        return i;
      }
    }
    return -1;
  }

  private int index(BrokerVhost vhost) {
    Integer index = vhostIndex.get(vhost.name());
    if (index == null || vhosts[index] != vhost) {
      throw new IllegalStateException("vhost '" + vhost.name() + "' is not registered with the scheduler");
    }
    return index;
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
    int index = index(vhost);
    long position = store.publish(priority, arrival, expiresAt, due, vhost.name(), exchange, routingKey,
        List.of(QUEUE), rawProperties, body);
    add(due, index, position);
    return position;
  }

  /** Re-schedules what recovery found for {@link #QUEUE} in a vhost (before {@link #start}). */
  public void restore(BrokerVhost vhost, RecoveredQueue recovered) {
    int index = index(vhost);
    for (int i = 0; i < recovered.size(); i++) {
      long due = recovered.dues()[i];
      add(due < 0 ? 0 : due, index, recovered.ids()[i]);
    }
  }

  /** Messages scheduled and not fired yet. */
  public int size() {
    return set.size();
  }

  private void add(long due, int vhost, long position) {
    if (position > POSITION_MASK) {
      throw new IllegalStateException("log position " + position + " beyond the schedule's 48 bits");
    }
    set.add(due, (long) vhost << 48 | position);
  }

  // ---- reading ahead ----

  private void readAheadLoop() {
    long[] dues = new long[READ_BATCH];
    long[] entries = new long[READ_BATCH];
    DueDelivery.Prepared[] prepared = new DueDelivery.Prepared[READ_BATCH];
    while (!closed) {
      int n;
      try {
        n = set.takeSoonDue(dues, entries);
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
      set.stage(dues, entries, prepared, n);
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
        n = set.takeDue(entries, dues, prepared);
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
      if (!closed && clock.millis() >= nextRelocation) {
        relocate();
        nextRelocation = clock.millis() + RELOCATE_PERIOD_MILLIS;
      }
    }
  }

  /** Scheduled messages copied forward in the log since start. */
  public long relocated() {
    return relocated;
  }

  /**
   * Copies scheduled messages written more than {@link #relocateBehindBytes} behind the log's end, and due more than
   * {@link #RELOCATE_MIN_REMAINING_MILLIS} from now, to the end of the log and acks their old records, so that the old
   * segments can be deleted. Each copy is appended before the old record's ack: a crash in between delivers the
   * message twice (at least once, as everywhere in the schedule). Runs on the firing thread (it owns the journals),
   * or on the caller's before {@link #start}; returns how many were copied.
   */
  int relocate() {
    long below = store.log().endPosition() - relocateBehindBytes;
    if (below <= store.log().startPosition()) {
      return 0;
    }
    long[] entries = new long[RELOCATE_BATCH];
    long[] dues = new long[RELOCATE_BATCH];
    int n;
    n = set.collect(RELOCATE_SCAN, below, POSITION_MASK, clock.millis() + RELOCATE_MIN_REMAINING_MILLIS, entries,
        dues);
    Map<Long, Long> copies = new HashMap<>();
    for (int i = 0; i < n; i++) {
      int index = (int) (entries[i] >>> 48);
      try {
        copies.put(entries[i], (long) index << 48 | copy(vhosts[index], entries[i] & POSITION_MASK, dues[i]));
      } catch (RuntimeException e) {
        LOG.warn("Cannot copy scheduled message {} forward: {}", entries[i] & POSITION_MASK, e.toString());
      }
    }
    java.util.Set<Long> replaced = set.replace(copies);
    for (Map.Entry<Long, Long> c : copies.entrySet()) {
      // the old record if the heap now holds the copy; the copy if the old one was taken meanwhile (it fires)
      long done = replaced.contains(c.getKey()) ? c.getKey() : c.getValue();
      journal((int) (done >>> 48)).removed(done & POSITION_MASK);
    }
    flushJournals();
    relocated += replaced.size();
    return replaced.size();
  }

  /** Appends a copy of the scheduled record at {@code position}; returns the copy's position. */
  private long copy(BrokerVhost vhost, long position, long due) {
    io.warren.store.Message m = store.read(position);
    try {
      return store.publish(m.priority(), m.arrival(), m.expiresAt(), due, vhost.name(), m.exchange(), m.routingKey(),
          List.of(QUEUE), m.rawProperties(), m.body());
    } finally {
      m.release();
    }
  }

  private QueueJournal journal(int index) {
    if (index >= journals.length) {
      journals = java.util.Arrays.copyOf(journals, vhosts.length);
    }
    QueueJournal journal = journals[index];
    if (journal == null) {
      journal = journals[index] = store.journal(vhosts[index].name(), QUEUE);
    }
    return journal;
  }

  /** Messages fired more than 50 ms after their due time since start (a measure of the scheduler's backlog). */
  public long lateFirings() {
    return lateFirings;
  }

  private void fire(long entry, DueDelivery.Prepared prepared) {
    int index = (int) (entry >>> 48);
    long position = entry & POSITION_MASK;
    BrokerVhost vhost = vhosts[index];
    if (vhost.isDeleted()) {
      // the vhost's deletion took its scheduled messages with it; only the store's live set still counts it
      if (prepared != null) {
        prepared.release();
      }
      journal(index).removed(position);
      return;
    }
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
    journal(index).removed(position);
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
    set.close();
    for (Thread t : new Thread[] {readAhead, firing}) {
      if (t.isAlive()) {
        try {
          t.join(5000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    int held = set.drain();
    LOG.info("Scheduler stopped: {} message(s) fired ({} more than 50 ms late), {} copied forward in the log, {} still "
        + "scheduled", fired, lateFirings, relocated, held);
  }
}
