package io.warren.management.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded ring of node-wide snapshots, newest last, for the charts' samples and rates. Written by the sampler on
 * the management event loop, read there too (the API runs on the same loop).
 */
public final class History {
  private final Snapshot[] ring;
  private int next;
  private int size;

  public History(int capacity) {
    this.ring = new Snapshot[capacity];
  }

  public void add(Snapshot s) {
    ring[next] = s;
    next = (next + 1) % ring.length;
    size = Math.min(size + 1, ring.length);
  }

  /** Snapshots of the last {@code ageSeconds}, newest first. */
  public List<Snapshot> since(long nowMillis, long ageSeconds) {
    List<Snapshot> out = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      Snapshot s = ring[(next - i + ring.length) % ring.length];
      if (s.timestampMillis() < nowMillis - ageSeconds * 1000) {
        break;
      }
      out.add(s);
    }
    return out;
  }

  /** The newest snapshot, or null. */
  public Snapshot last() {
    return size == 0 ? null : ring[(next - 1 + ring.length) % ring.length];
  }

  /** The one before the newest, or null. */
  public Snapshot previous() {
    return size < 2 ? null : ring[(next - 2 + ring.length) % ring.length];
  }
}
