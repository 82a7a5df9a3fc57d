package io.warren.mirror;

import java.util.Arrays;

/**
 * When the primary's log reached which position, and how many records it had written by then: one sample per
 * written batch (at most one a millisecond), so that a backup's acknowledged position can be turned into a lag in
 * records and milliseconds without counting anything per record. Samples the backup has passed are dropped; when
 * a backup stays far behind and the samples fill up, every other one is dropped (coarser, never unbounded).
 * Thread-safe: the log's writer thread adds, anyone reads; every method holds the monitor only briefly.
 */
final class WriteHistory {

    private static final int MAX_SAMPLES = 1 << 18;

    private long[] positions = new long[256];
    private long[] records = new long[256];
    private long[] nanos = new long[256];
    private int first;
    private int size;

    /**
     * @param position the log's written position when the history starts (everything before it counts as written
     *                 at {@code now}: its real time is not known)
     * @param written  records written by then
     */
    WriteHistory(long position, long written, long now) {
        add(position, written, now);
    }

    /** The log's written position reached {@code position}, with {@code written} records, at {@code now}. */
    synchronized void add(long position, long written, long now) {
        if (size > 0) {
            int last = first + size - 1;
            if (position <= positions[last]) {
                return;
            }
            if (size > 1 && now - nanos[last] < 1_000_000) {
                positions[last] = position; // the same millisecond: move the newest sample
                records[last] = written;
                return;
            }
        }
        if (first + size == positions.length) {
            makeRoom();
        }
        int i = first + size++;
        positions[i] = position;
        records[i] = written;
        nanos[i] = now;
    }

    private void makeRoom() {
        if (size >= MAX_SAMPLES) {
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (i % 2 == 0 || i == size - 1) { // keep the oldest and the newest
                    positions[kept] = positions[first + i];
                    records[kept] = records[first + i];
                    nanos[kept] = nanos[first + i];
                    kept++;
                }
            }
            first = 0;
            size = kept;
            return;
        }
        if (first > 0 && size < positions.length / 2) {
            System.arraycopy(positions, first, positions, 0, size);
            System.arraycopy(records, first, records, 0, size);
            System.arraycopy(nanos, first, nanos, 0, size);
            first = 0;
            return;
        }
        int capacity = Math.min(MAX_SAMPLES, positions.length * 2);
        positions = Arrays.copyOfRange(positions, first, first + capacity);
        records = Arrays.copyOfRange(records, first, first + capacity);
        nanos = Arrays.copyOfRange(nanos, first, first + capacity);
        first = 0;
    }

    /** The backup has everything before {@code acked}: samples below it are no longer needed (but the last one). */
    synchronized void passed(long acked) {
        while (size > 1 && positions[first + 1] <= acked) {
            first++;
            size--;
        }
    }

    /**
     * How far a backup that has everything before {@code acked} is behind, as of {@code now}. Records are counted from
     * the last sample at or below {@code acked}, so they may be over by the records of one write batch; the age is
     * that of the batch holding the first record the backup lacks.
     */
    synchronized ReplicationLag lag(long acked, long now) {
        int last = first + size - 1;
        long bytes = Math.max(0, positions[last] - acked);
        if (bytes == 0) {
            return ReplicationLag.NONE;
        }
        int i = first;
        while (i < last && positions[i + 1] <= acked) {
            i++;
        }
        // the first sample past acked is when the batch holding the first missing record was written
        int next = positions[i] > acked ? i : Math.min(i + 1, last);
        long recs = Math.max(0, records[last] - records[positions[i] > acked ? first : i]);
        return new ReplicationLag(recs, bytes, Math.max(0, (now - nanos[next]) / 1_000_000));
    }

    /** The newest sample's position: everything before it is written. */
    synchronized long written() {
        return positions[first + size - 1];
    }
}
