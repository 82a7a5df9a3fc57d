package io.warren.store;

import java.util.HashMap;
import java.util.Map;

/**
 * The newest ready messages of a deep durable queue, with their contents out of memory: one {@code long}
 * per message, its log position ({@code ~position} when it is to be delivered as redelivered). Seqs are
 * consecutive, so the slot's index gives the seq. A message that cannot be paged (transient, or never
 * logged) but arrives behind paged ones keeps its order as a resident entry in a side map, marked
 * {@link #RESIDENT} in its slot, unless the queue has a {@link MessageSpill}: then it is written there and
 * its slot holds the spill position with the {@link #SPILLED} bit. Every seq here is after every seq of the queue's in-memory ready entries.
 * Confined to the queue's executor.
 */
final class PagedTail {

    /** Slot marker of a resident entry. */
    static final long RESIDENT = Long.MIN_VALUE;
    /** Set in a position written to the {@link MessageSpill} rather than the queue's durable log. */
    static final long SPILLED = 1L << 62;
    private static final int INITIAL_CAPACITY = 1024;

    private long[] slots = new long[INITIAL_CAPACITY];
    private int head;
    private int size;
    /** Seq of the head slot. */
    private long headSeq;
    private final Map<Long, QueueEntry> resident = new HashMap<>();

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Appends a paged-out message logged at {@code id} with the given seq (the next one in order). */
    void addPaged(long seq, long id, boolean redelivered) {
        add(seq, redelivered ? ~id : id);
    }

    /** Appends an entry that stays in memory (its seq is already set). */
    void addResident(QueueEntry entry) {
        add(entry.seq, RESIDENT);
        resident.put(entry.seq, entry);
    }

    /** Seq of the oldest slot; only when not empty. */
    long headSeq() {
        return headSeq;
    }

    /** The oldest slot's value: a position, {@code ~position} (redelivered), or {@link #RESIDENT}. */
    long peek() {
        if (size == 0) {
            throw new IllegalStateException("empty");
        }
        return slots[head];
    }

    /** Removes the oldest slot; returns its resident entry, or null for a paged one. */
    QueueEntry poll() {
        long value = peek();
        long seq = headSeq;
        head = (head + 1) & (slots.length - 1);
        headSeq++;
        if (--size == 0) {
            head = 0;
            if (slots.length > INITIAL_CAPACITY) {
                slots = new long[INITIAL_CAPACITY];
            }
        }
        return value == RESIDENT ? resident.remove(seq) : null;
    }

    static boolean redelivered(long value) {
        return value < 0;
    }

    /** The position in its log (durable or spill), without the {@link #SPILLED} bit. */
    static long position(long value) {
        return (value < 0 ? ~value : value) & ~SPILLED;
    }

    static boolean spilled(long value) {
        return ((value < 0 ? ~value : value) & SPILLED) != 0;
    }

    private void add(long seq, long value) {
        if (size == 0) {
            headSeq = seq;
        } else if (seq != headSeq + size) {
            throw new IllegalArgumentException("seq " + seq + " does not follow " + (headSeq + size - 1));
        }
        if (size == slots.length) {
            long[] bigger = new long[slots.length << 1];
            for (int i = 0; i < size; i++) {
                bigger[i] = slots[(head + i) & (slots.length - 1)];
            }
            slots = bigger;
            head = 0;
        }
        slots[(head + size++) & (slots.length - 1)] = value;
    }
}
