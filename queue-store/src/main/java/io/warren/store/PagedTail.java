package io.warren.store;

import java.util.HashMap;
import java.util.Map;

/**
 * The newest ready messages of a deep durable queue, with their contents out of memory: one {@code long}
 * per message, its log position ({@code ~position} when it is to be delivered as redelivered). Seqs are
 * consecutive, so the slot's index gives the seq. A message that cannot be paged (transient, or never
 * logged) but arrives behind paged ones keeps its order as a resident entry in a side map, marked
 * {@link #RESIDENT} in its slot, unless the queue has a {@link MessageSpill}: then it is written there and
 * its slot holds the spill position with the {@link #SPILLED} bit. Every seq here is after every seq of the lane's
 * in-memory ready entries. Each slot also keeps its body size (4 bytes), so that the queue's ready bytes and byte
 * limit are known without reading paged messages back: a plain queue's backlog costs 12 bytes a message. A parallel
 * array of expiries exists only from the first message that has one.
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
    /** Epoch ms each slot expires, {@link Message#NEVER} for none; null while no slot has an expiry. */
    private long[] expiries;
    /** Body bytes of each slot; null until a slot with a size is added. */
    private int[] sizes;
    private long bytes;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Appends a paged-out message logged at {@code id} with the given seq (the next one in order). */
    void addPaged(long seq, long id, boolean redelivered) {
        add(seq, redelivered ? ~id : id, Message.NEVER, -1);
    }

    /**
     * As {@link #addPaged(long, long, boolean)}, keeping its expiry, and its body size when {@code size >= 0} (every
     * slot of a tail must then have one).
     */
    void addPaged(long seq, long id, boolean redelivered, long expiresAt, int size) {
        add(seq, redelivered ? ~id : id, expiresAt, size);
    }

    /** Appends an entry that stays in memory (its seq is already set). */
    void addResident(QueueEntry entry, boolean trackSize) {
        add(entry.seq, RESIDENT, entry.expiresAt, trackSize ? entry.message().bodySize() : -1);
        resident.put(entry.seq, entry);
    }

    void addResident(QueueEntry entry) {
        addResident(entry, false);
    }

    /** When the oldest slot expires ({@link Message#NEVER} for never); only when not empty. */
    long headExpiry() {
        return expiries == null ? Message.NEVER : expiries[head];
    }

    /** Body bytes of every slot. */
    long bytes() {
        return bytes;
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
        if (sizes != null) {
            bytes -= sizes[head];
        }
        head = (head + 1) & (slots.length - 1);
        headSeq++;
        if (--size == 0) {
            head = 0;
            if (slots.length > INITIAL_CAPACITY) {
                slots = new long[INITIAL_CAPACITY];
                expiries = null;
                sizes = null;
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

    private void add(long seq, long value, long expiresAt, int bodySize) {
        if (size == 0) {
            headSeq = seq;
        } else if (seq != headSeq + size) {
            throw new IllegalArgumentException("seq " + seq + " does not follow " + (headSeq + size - 1));
        }
        if (size == slots.length) {
            int n = slots.length << 1;
            slots = grow(slots, n);
            if (expiries != null) {
                expiries = grow(expiries, n);
            }
            if (sizes != null) {
                int[] bigger = new int[n];
                for (int i = 0; i < size; i++) {
                    bigger[i] = sizes[(head + i) & (sizes.length - 1)];
                }
                sizes = bigger;
            }
            head = 0;
        }
        int at = (head + size++) & (slots.length - 1);
        slots[at] = value;
        if (expiresAt != Message.NEVER && expiries == null) {
            expiries = new long[slots.length];
            java.util.Arrays.fill(expiries, Message.NEVER);
        }
        if (expiries != null) {
            expiries[at] = expiresAt;
        }
        if (bodySize >= 0) {
            if (sizes == null) {
                sizes = new int[slots.length];
            }
            sizes[at] = bodySize;
            bytes += bodySize;
        }
    }

    /** A copy of {@code a} of {@code length} slots starting with the current head. */
    private long[] grow(long[] a, int length) {
        long[] bigger = new long[length];
        if (a == expiries) {
            java.util.Arrays.fill(bigger, Message.NEVER);
        }
        for (int i = 0; i < size; i++) {
            bigger[i] = a[(head + i) & (a.length - 1)];
        }
        return bigger;
    }
}
