package io.warren.server.channel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A channel's unacknowledged deliveries in delivery-tag order: a ring buffer, so that acks in order (the usual case)
 * cost O(1), with binary search for the others. Settled slots in the middle are tombstones until they reach the head.
 * Confined to the connection's event loop.
 */
final class UnackedDeliveries {
  private Unacked[] ring = new Unacked[64];
  private int head;
  private int size; // slots in use, tombstones included
  private int live;

  void add(Unacked u) {
    if (size == ring.length) {
      grow();
    }
    ring[(head + size) & (ring.length - 1)] = u;
    size++;
    live++;
  }

  int size() {
    return live;
  }

  boolean isEmpty() {
    return live == 0;
  }

  /** Removes one delivery by tag; null if it is not (or no longer) unacked. */
  Unacked remove(long tag) {
    int i = find(tag);
    if (i < 0) {
      return null;
    }
    int slot = (head + i) & (ring.length - 1);
    Unacked u = ring[slot];
    ring[slot] = null;
    live--;
    trimHead();
    return u;
  }

  /** Removes every delivery with a tag up to and including {@code tag}, in order. */
  List<Unacked> removeUpTo(long tag) {
    List<Unacked> out = new ArrayList<>();
    while (size > 0) {
      Unacked u = ring[head];
      if (u != null) {
        if (u.tag() > tag) {
          break;
        }
        out.add(u);
        live--;
      }
      ring[head] = null;
      head = (head + 1) & (ring.length - 1);
      size--;
    }
    return out;
  }

  /** Whether a delivery with this tag is unacked. */
  boolean contains(long tag) {
    return find(tag) >= 0;
  }

  List<Unacked> removeAll() {
    return removeUpTo(Long.MAX_VALUE);
  }

  /**
   * The deliveries unacked for longer than their timeout, oldest first (usually none: an empty list, no allocation).
   * Deliveries are in delivery order, so the scan stops at the first one younger than {@code shortest}.
   *
   * @param shortest the shortest timeout any of these deliveries can have (ms)
   */
  List<Unacked> overdue(long now, long shortest, java.util.function.ToLongFunction<Unacked> timeoutOf) {
    List<Unacked> out = List.of();
    int mask = ring.length - 1;
    for (int i = 0; i < size; i++) {
      Unacked u = ring[(head + i) & mask];
      if (u == null) {
        continue;
      }
      long age = now - u.deliveredAt();
      if (age < shortest) {
        break;
      }
      if (age >= timeoutOf.applyAsLong(u)) {
        if (out.isEmpty()) {
          out = new ArrayList<>();
        }
        out.add(u);
      }
    }
    return out;
  }

  /** Removes every delivery made to {@code consumer}, in order. */
  List<Unacked> removeOf(ChannelConsumer consumer) {
    List<Unacked> out = new ArrayList<>();
    int mask = ring.length - 1;
    for (int i = 0; i < size; i++) {
      int slot = (head + i) & mask;
      Unacked u = ring[slot];
      if (u != null && u.consumer() == consumer) {
        out.add(u);
        ring[slot] = null;
        live--;
      }
    }
    trimHead();
    return out;
  }

  private int find(long tag) {
    int lo = 0;
    int hi = size - 1;
    int mask = ring.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      // tombstones keep no tag: search over the nearest live slot at or after mid
      int probe = mid;
      Unacked u = null;
      while (probe <= hi && (u = ring[(head + probe) & mask]) == null) {
        probe++;
      }
      if (u == null) {
        hi = mid - 1;
      } else if (u.tag() == tag) {
        return probe;
      } else if (u.tag() < tag) {
        lo = probe + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }

  private void trimHead() {
    while (size > 0 && ring[head] == null) {
      head = (head + 1) & (ring.length - 1);
      size--;
    }
  }

  private void grow() {
    Unacked[] bigger = new Unacked[ring.length * 2];
    for (int i = 0; i < size; i++) {
      bigger[i] = ring[(head + i) & (ring.length - 1)];
    }
    ring = bigger;
    head = 0;
    Arrays.fill(ring, size, ring.length, null);
  }
}
