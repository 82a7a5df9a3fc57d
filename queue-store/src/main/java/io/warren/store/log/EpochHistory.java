package io.warren.store.log;

import java.util.Arrays;
import java.util.List;

/**
 * The log's leader-epoch history: for each epoch that appended records, the position of its first
 * record, in log order. Two nodes compare histories to find where their logs part (a backup asks the
 * primary where its own last epoch ends there, and cuts its log at that point, as Kafka's leader
 * epochs do). Rebuilt from the records' epoch tags when the log is opened, kept up to date by appends
 * and truncations. The mutating methods are guarded by the append lock; {@link #entries()} copies.
 */
public final class EpochHistory {

    /** Epoch {@code epoch} (unsigned) starts with the record at {@code start}. */
    public record Entry(int epoch, long start) {
        @Override
        public String toString() {
            return "<" + Integer.toUnsignedString(epoch) + ", " + start + ">";
        }
    }

    private static final Entry[] NONE = {};

    private int[] epochs = new int[8];
    private long[] starts = new long[8];
    private int size;

    EpochHistory() {
    }

    /** Called for every record appended (or found by recovery) in log order: notes an epoch change. */
    void appended(int epoch, long position) {
        if (size > 0 && epochs[size - 1] == epoch) {
            return;
        }
        if (size == epochs.length) {
            epochs = Arrays.copyOf(epochs, size * 2);
            starts = Arrays.copyOf(starts, size * 2);
        }
        epochs[size] = epoch;
        starts[size] = position;
        size++;
    }

    /** Forgets the epochs of records at and after {@code position} (the log was cut there). */
    void truncate(long position) {
        while (size > 0 && starts[size - 1] >= position) {
            size--;
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The epoch of the last record, or 0 for an empty history. */
    int lastEpoch() {
        return size == 0 ? 0 : epochs[size - 1];
    }

    Entry[] entries() {
        if (size == 0) {
            return NONE;
        }
        Entry[] out = new Entry[size];
        for (int i = 0; i < size; i++) {
            out[i] = new Entry(epochs[i], starts[i]);
        }
        return out;
    }

    /**
     * Where a log whose history is {@code entries} and which ends at {@code end} stops holding records
     * of epochs up to {@code epoch}: the start of its first later epoch, or its end. A follower whose
     * last epoch is {@code epoch} keeps its log below min(this, its own end) and cuts the rest.
     */
    public static long endOf(List<Entry> entries, int epoch, long end) {
        for (Entry e : entries) {
            if (Integer.compareUnsigned(e.epoch(), epoch) > 0) {
                return Math.min(e.start(), end);
            }
        }
        return end;
    }
}
