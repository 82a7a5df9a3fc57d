package io.warren.server.schedule;

import java.util.Arrays;

/**
 * The scheduled messages in memory: a binary min-heap of (due, entry) pairs held in two {@code long[]}s, 16 bytes
 * per message and no object per message, so millions of scheduled messages cost tens of MB, never their bodies.
 * Ordered by due time, then by entry (the log position in its low bits, so messages due at the same millisecond fire
 * in publish order). Not thread-safe: its owner guards it.
 */
final class DueHeap {
  private long[] dues = new long[1024];
  private long[] entries = new long[1024];
  private int size;

  int size() {
    return size;
  }

  /** The earliest due time; only when not empty. */
  long peekDue() {
    return dues[0];
  }

  long peekEntry() {
    return entries[0];
  }

  void add(long due, long entry) {
    if (size == dues.length) {
      dues = Arrays.copyOf(dues, size * 2);
      entries = Arrays.copyOf(entries, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(due, entry, dues[parent], entries[parent])) {
        break;
      }
      dues[i] = dues[parent];
      entries[i] = entries[parent];
      i = parent;
    }
    dues[i] = due;
    entries[i] = entry;
  }

  /** Removes the earliest; read it with {@link #peekDue}/{@link #peekEntry} first. */
  void poll() {
    int last = --size;
    long due = dues[last];
    long entry = entries[last];
    int i = 0;
    int half = last >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < last && less(dues[right], entries[right], dues[child], entries[child])) {
        child = right;
      }
      if (!less(dues[child], entries[child], due, entry)) {
        break;
      }
      dues[i] = dues[child];
      entries[i] = entries[child];
      i = child;
    }
    if (last > 0) {
      dues[i] = due;
      entries[i] = entry;
    }
    if (size == 0 && dues.length > 1 << 16) { // give a drained burst's memory back
      dues = new long[1024];
      entries = new long[1024];
    }
  }

  /**
   * Looks at up to {@code maxScan} slots from slot {@code from} (wrapping to 0 at the end) and fills
   * {@code outEntries}/{@code outDues} with up to their length of the entries whose {@code entry & mask} is below
   * {@code below} and whose due time is after {@code dueAfter}. Returns the count in the low 32 bits and the slot to
   * resume from in the high 32 bits.
   */
  long collect(int from, int maxScan, long below, long mask, long dueAfter, long[] outEntries, long[] outDues) {
    int n = 0;
    int i = from < size ? from : 0;
    for (int scanned = 0; scanned < Math.min(maxScan, size) && n < outEntries.length; scanned++) {
      if ((entries[i] & mask) < below && dues[i] > dueAfter) {
        outEntries[n] = entries[i];
        outDues[n++] = dues[i];
      }
      i = i + 1 < size ? i + 1 : 0;
    }
    return (long) i << 32 | n;
  }

  /**
   * Replaces entries (due times unchanged, so the order by due time holds; among equal due times the new entries may
   * not be in entry order, which only affects the order those fire in). Returns the old entries replaced; an entry no
   * longer here (taken meanwhile) is left out. O(size).
   */
  java.util.Set<Long> replace(java.util.Map<Long, Long> replacements) {
    java.util.Set<Long> replaced = new java.util.HashSet<>();
    for (int i = 0; i < size; i++) {
      Long replacement = replacements.get(entries[i]);
      if (replacement != null) {
        replaced.add(entries[i]);
        entries[i] = replacement;
      }
    }
    return replaced;
  }

  private static boolean less(long dueA, long entryA, long dueB, long entryB) {
    return dueA < dueB || dueA == dueB && entryA < entryB;
  }
}
