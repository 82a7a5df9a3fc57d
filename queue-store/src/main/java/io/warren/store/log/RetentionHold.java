package io.warren.store.log;

import java.util.Set;

/**
 * Keeps the segment holding {@link #position()}, and all later ones, from being deleted, whatever
 * {@link DurableLog#deleteSegmentsBefore} is asked: how a replication reader keeps what a lagging backup
 * still needs. Every {@link LogReader} holds one at its position. Thread-safe.
 */
public final class RetentionHold implements AutoCloseable {

    private final Set<RetentionHold> holds;
    private volatile long position;

    RetentionHold(Set<RetentionHold> holds, long position) {
        this.holds = holds;
        this.position = position;
        holds.add(this);
    }

    public long position() {
        return position;
    }

    /** Usually forward, as the holder progresses; moving back only protects segments not yet deleted. */
    public void moveTo(long newPosition) {
        position = newPosition;
    }

    /** Releases the hold; idempotent. */
    @Override
    public void close() {
        holds.remove(this);
    }

    static long lowest(Set<RetentionHold> holds) {
        long lowest = Long.MAX_VALUE;
        for (RetentionHold h : holds) {
            lowest = Math.min(lowest, h.position);
        }
        return lowest;
    }
}
