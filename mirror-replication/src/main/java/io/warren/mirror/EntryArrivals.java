package io.warren.mirror;

/**
 * Samples of this member's Raft log end, (time, term, index), taken every few tens of milliseconds, so that a
 * backup can tell since when it has held a given entry: once its log ended with an entry of term T at index I or
 * beyond, it held every entry of term T up to I (Raft's log matching: a follower accepts an entry of T only on top
 * of what T's leader had before it). The time recorded is taken after the log end was read, so it is never earlier
 * than the real arrival. Keeps the last {@link #SIZE} samples. Thread-safe (a sampler thread writes, the role thread
 * reads).
 */
final class EntryArrivals {

    static final int SIZE = 256;

    private final long[] times = new long[SIZE];
    private final long[] terms = new long[SIZE];
    private final long[] indexes = new long[SIZE];
    private int next;
    private int count;

    /** Records that the log ended with {@code term}/{@code index} as of now. */
    synchronized void sample(long term, long index, long nanos) {
        if (term < 0) {
            return;
        }
        times[next] = nanos;
        terms[next] = term;
        indexes[next] = index;
        next = (next + 1) % SIZE;
        count = Math.min(count + 1, SIZE);
    }

    /**
     * The earliest sampled time at which the log held the entry {@code term}/{@code index}, or {@code fallback}
     * when no sample shows it (or {@code fallback} is earlier).
     */
    synchronized long heldSince(long term, long index, long fallback) {
        if (term < 0) {
            return fallback;
        }
        for (int i = 0; i < count; i++) {
            int slot = (next - count + i + SIZE) % SIZE;
            if (terms[slot] == term && indexes[slot] >= index) {
                return Math.min(times[slot], fallback);
            }
        }
        return fallback;
    }
}
