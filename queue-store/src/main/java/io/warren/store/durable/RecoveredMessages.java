package io.warren.store.durable;

import io.netty.buffer.ByteBuf;
import io.warren.store.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.LongFunction;

/**
 * The persistent messages found while replaying the log, per (vhost, queue) in publish order, minus the
 * acked ones. Only positions are kept (8 bytes a message): the queues read the contents back from the log
 * when they deliver. The server tells it which queues were deleted as it replays the definitions, then
 * takes each surviving queue's positions. Confined to the thread running recovery.
 */
public final class RecoveredMessages implements AutoCloseable {
    private record QueueKey(String vhost, String queue) {}

    /** Positions in increasing order (the log is read in order), acked ones marked in a bit set. */
    private static final class Positions {
        long[] ids = new long[64];
        int size;
        final BitSet acked = new BitSet();
        int ackedCount;

        void add(long id) {
            if (size == ids.length) {
                compact(ids.length * 2);
            }
            ids[size++] = id;
        }

        void ack(long id) {
            int i = Arrays.binarySearch(ids, 0, size, id);
            if (i >= 0 && !acked.get(i)) {
                acked.set(i);
                ackedCount++;
            }
        }

        long[] survivors() {
            long[] out = new long[size - ackedCount];
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (!acked.get(i)) {
                    out[n++] = ids[i];
                }
            }
            return out;
        }

        /** Drops the acked ones; grows to {@code capacity} only if that leaves less than half free. */
        private void compact(int capacity) {
            long[] live = survivors();
            ids = Arrays.copyOf(live, live.length * 2 > ids.length ? capacity : ids.length);
            size = live.length;
            acked.clear();
            ackedCount = 0;
        }
    }

    private final Map<QueueKey, Positions> queues = new HashMap<>();
    private final LiveMessages live;
    private final LongFunction<Message> reader;
    private long published;

    RecoveredMessages(LiveMessages live, LongFunction<Message> reader) {
        this.live = live;
        this.reader = reader;
    }

    /** Keeps the position only: the payload belongs to the log reader. */
    void publish(long position, ByteBuf payload) {
        StoreRecords.Publish p = StoreRecords.decodePublish(payload);
        published++;
        for (String q : p.queues()) {
            queues.computeIfAbsent(new QueueKey(p.vhost(), q), k -> new Positions()).add(position);
        }
    }

    void ack(StoreRecords.Ack a) {
        Positions held = queues.get(new QueueKey(a.vhost(), a.queue()));
        if (held == null) {
            return;
        }
        for (long position : a.positions()) {
            held.ack(position);
        }
    }

    /** The queue was deleted at this point of the log: its earlier messages are gone. */
    public void queueDeleted(String vhost, String queue) {
        queues.remove(new QueueKey(vhost, queue));
    }

    /** A definitions snapshot lists every durable queue: drop the messages of any other. */
    public void retainQueues(BiPredicate<String, String> exists) {
        queues.keySet().removeIf(k -> !exists.test(k.vhost(), k.queue()));
    }

    /**
     * Takes the positions (message ids) of the queue's surviving messages in publish order, for
     * {@code MessageQueue.restorePaged}, and marks them live in the store.
     */
    public long[] takeIds(String vhost, String queue) {
        Positions held = queues.remove(new QueueKey(vhost, queue));
        if (held == null) {
            return new long[0];
        }
        long[] ids = held.survivors();
        live.addRecovered(ids.clone(), ids.length);
        return ids;
    }

    /**
     * Takes the queue's surviving messages read back from the log, in publish order (each reference is the
     * caller's). Holds them all in memory: for tests and small queues; the broker uses {@link #takeIds}.
     */
    public List<Message> take(String vhost, String queue) {
        List<Message> out = new ArrayList<>();
        for (long id : takeIds(vhost, queue)) {
            out.add(reader.apply(id));
        }
        return out;
    }

    /** Publish records read, including acked ones. */
    public long publishRecords() {
        return published;
    }

    /** Forgets what no queue took (queues that no longer exist). */
    @Override
    public void close() {
        queues.clear();
    }
}
