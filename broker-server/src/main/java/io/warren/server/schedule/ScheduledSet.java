package io.warren.server.schedule;

import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the {@link Schedule} holds in memory, under one lock: the {@link DueHeap} of (due, entry) pairs, and the
 * messages its read-ahead thread has taken off the heap and read back ("staged"), which its firing thread takes when
 * due. The two threads wait on one condition, signalled when either side changes. Thread-safe.
 */
final class ScheduledSet {
  /** How far ahead of their due time messages are read back and decoded. */
  static final long LOOKAHEAD_MILLIS = 1000;
  /** Bounds on what is held read ahead, so that a burst due at one instant cannot fill the memory. */
  static final int MAX_STAGED = 65_536;
  static final long MAX_STAGED_BYTES = 64L << 20;
  /** Longest park without re-reading the clock, so an adjusted clock is noticed. */
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** A message read ahead of its due time. */
  private record Staged(long due, long entry, DueDelivery.Prepared prepared) {}

  private final Clock clock;
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
  /**
   * Guarded by lock: the earliest due time among the messages being read ahead (taken off the heap, not staged yet).
   * Nothing due at or after it fires until they are staged: on a loaded machine a slow read-back would otherwise let
   * a later message overtake an earlier one.
   */
  private long readingFrom = Long.MAX_VALUE;
  /** Guarded by lock: the heap slot {@link #collect} resumes from. */
  private int scanFrom;
  private volatile boolean closed;

  ScheduledSet(Clock clock) {
    this.clock = clock;
  }

  void add(long due, long entry) {
    lock.lock();
    try {
      heap.add(due, entry);
      if (heap.peekEntry() == entry && heap.peekDue() == due) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Messages not fired yet: on the heap, being read ahead, or read ahead. */
  int size() {
    lock.lock();
    try {
      return heap.size() + staged.size() + reading;
    } finally {
      lock.unlock();
    }
  }

  /** Parks until messages are due within the look-ahead and there is room; takes them off the heap. */
  int takeSoonDue(long[] dues, long[] entries) throws InterruptedException {
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
          readingFrom = Math.min(readingFrom, dues[0]);
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

  /** The read-ahead thread is done with {@code n} messages {@link #takeSoonDue} gave it (null: could not read). */
  void stage(long[] dues, long[] entries, DueDelivery.Prepared[] prepared, int n) {
    lock.lock();
    try {
      for (int i = 0; i < n; i++) {
        staged.add(new Staged(dues[i], entries[i], prepared[i]));
        stagedBytes += prepared[i] == null ? 0 : prepared[i].size();
        prepared[i] = null;
      }
      reading -= n;
      if (reading == 0) {
        readingFrom = Long.MAX_VALUE;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Parks until something is due (or closed), for at most about a second, so that the caller gets to do its periodic
   * work; fills the arrays with the due messages, earliest first, from the staged ones and the heap
   * ({@code prepared[i]} null for one to read back), and returns how many (0 when nothing came due).
   */
  int takeDue(long[] entries, long[] dues, DueDelivery.Prepared[] prepared) throws InterruptedException {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    lock.lock();
    try {
      while (!closed && System.nanoTime() - giveUp < 0) {
        long now = clock.millis();
        int n = 0;
        while (n < entries.length) {
          Staged first = staged.peek();
          boolean heapFirst = heap.size() > 0 && (first == null || heap.peekDue() < first.due());
          long due = heapFirst ? heap.peekDue() : first == null ? Long.MAX_VALUE : first.due();
          if (due >= readingFrom) {
            break; // an earlier message is still being read back: it goes first
          }
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
        // waiting for a read-back to be staged: stage() signals
        long park = next == Long.MAX_VALUE || next >= readingFrom ? MAX_PARK_NANOS
            : Math.min(MAX_PARK_NANOS, TimeUnit.MILLISECONDS.toNanos(next - now));
        changed.awaitNanos(park);
      }
      return 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * See {@link DueHeap#collect}: looks at the next {@code maxScan} heap slots after where the previous call stopped, so
   * that no call holds the lock for long with millions scheduled.
   */
  int collect(int maxScan, long below, long mask, long dueAfter, long[] entries, long[] dues) {
    lock.lock();
    try {
      long r = heap.collect(scanFrom, maxScan, below, mask, dueAfter, entries, dues);
      scanFrom = (int) (r >>> 32);
      return (int) r;
    } finally {
      lock.unlock();
    }
  }

  /** See {@link DueHeap#replace}. */
  Set<Long> replace(Map<Long, Long> replacements) {
    lock.lock();
    try {
      return heap.replace(replacements);
    } finally {
      lock.unlock();
    }
  }

  /** Wakes both threads to stop. */
  void close() {
    closed = true;
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** After both threads stopped: releases what was read ahead; returns what stays scheduled (in the log). */
  int drain() {
    lock.lock();
    try {
      Staged s;
      while ((s = staged.poll()) != null) {
        if (s.prepared() != null) {
          s.prepared().release();
        }
      }
      stagedBytes = 0;
      return heap.size() + reading;
    } finally {
      lock.unlock();
    }
  }
}
