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

    /**
     * One queue's surviving messages from the log, in publish order, with what each record says about it; the
     * arrays are parallel and the caller's.
     *
     * @param ids log positions (message ids)
     * @param arrivals epoch ms each message reached the broker
     * @param expiresAt epoch ms each message's own expiration ends, {@code Message.NEVER} for none
     * @param dues epoch ms a scheduled message is due, -1 for none
     * @param priorities each message's priority, 0..255
     * @param delivered whether each message had gone to a consumer before (to be delivered as redelivered)
     * @param deliveryCounts how many times each came back to the queue unacked before the broker stopped (a delivery
     *     still unacked then is not counted: the restart is not the consumer's doing)
     * @param sizes each message's body bytes (so a queue knows its bytes without reading its messages back)
     */
    public record RecoveredQueue(long[] ids, long[] arrivals, long[] expiresAt, long[] dues, byte[] priorities,
                                 boolean[] delivered, int[] deliveryCounts, int[] sizes) {
        public RecoveredQueue(long[] ids, long[] arrivals, long[] expiresAt, long[] dues, byte[] priorities) {
            this(ids, arrivals, expiresAt, dues, priorities, new boolean[ids.length], new int[ids.length],
                    new int[ids.length]);
        }

        static RecoveredQueue empty() {
            return new RecoveredQueue(new long[0], new long[0], new long[0], new long[0], new byte[0]);
        }

        public int size() {
            return ids.length;
        }
    }

    /**
     * Positions in increasing order (the log is read in order), acked ones marked in a bit set, with what the
     * DELIVERY records said of each: whether it was delivered, how many times it came back.
     */
    private static final class Positions {
        long[] ids = new long[64];
        long[] arrivals = new long[64];
        long[] expires = new long[64];
        long[] dues = new long[64];
        byte[] priorities = new byte[64];
        int[] returns = new int[64];
        int[] sizes = new int[64];
        int size;
        final BitSet acked = new BitSet();
        BitSet delivered = new BitSet();
        int ackedCount;

        void add(long id, StoreRecords.PublishHead p) {
            if (size == ids.length) {
                compact(ids.length * 2);
            }
            ids[size] = id;
            arrivals[size] = p.arrival();
            expires[size] = p.expiresAt();
            dues[size] = p.due();
            priorities[size] = (byte) p.priority();
            returns[size] = 0;
            sizes[size] = p.bodySize();
            size++;
        }

        void ack(long id) {
            int i = Arrays.binarySearch(ids, 0, size, id);
            if (i >= 0 && !acked.get(i)) {
                acked.set(i);
                ackedCount++;
            }
        }

        /** Marks every message published before {@code position} gone, as a queue deletion there does. */
        void dropBefore(long position) {
            int i = Arrays.binarySearch(ids, 0, size, position);
            int below = i >= 0 ? i : -i - 1;
            ackedCount += below - acked.get(0, below).cardinality();
            acked.set(0, below);
        }

        /** {@code event} as in a DELIVERY record: p delivered, ~p returned. */
        void delivery(long event) {
            int i = Arrays.binarySearch(ids, 0, size, event >= 0 ? event : ~event);
            if (i < 0 || acked.get(i)) {
                return;
            }
            if (event >= 0) {
                delivered.set(i);
            } else {
                returns[i]++;
                delivered.set(i); // only a delivered message can come back
            }
        }

        RecoveredQueue survivors() {
            int live = size - ackedCount;
            RecoveredQueue r = new RecoveredQueue(new long[live], new long[live], new long[live], new long[live],
                    new byte[live], new boolean[live], new int[live], new int[live]);
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (!acked.get(i)) {
                    r.ids()[n] = ids[i];
                    r.arrivals()[n] = arrivals[i];
                    r.expiresAt()[n] = expires[i];
                    r.dues()[n] = dues[i];
                    r.priorities()[n] = priorities[i];
                    r.delivered()[n] = delivered.get(i);
                    r.deliveryCounts()[n] = returns[i];
                    r.sizes()[n] = sizes[i];
                    n++;
                }
            }
            return r;
        }

        /** Drops the acked ones; grows to {@code capacity} only if that leaves less than half free. */
        private void compact(int capacity) {
            int live = size - ackedCount;
            int length = live * 2 > ids.length ? capacity : ids.length;
            long[] i2 = new long[length];
            long[] a2 = new long[length];
            long[] e2 = new long[length];
            long[] d2 = new long[length];
            byte[] p2 = new byte[length];
            int[] r2 = new int[length];
            int[] s2 = new int[length];
            BitSet del2 = new BitSet();
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (!acked.get(i)) {
                    i2[n] = ids[i];
                    a2[n] = arrivals[i];
                    e2[n] = expires[i];
                    d2[n] = dues[i];
                    p2[n] = priorities[i];
                    r2[n] = returns[i];
                    s2[n] = sizes[i];
                    del2.set(n, delivered.get(i));
                    n++;
                }
            }
            ids = i2;
            arrivals = a2;
            expires = e2;
            dues = d2;
            priorities = p2;
            returns = r2;
            sizes = s2;
            delivered = del2;
            size = n;
            acked.clear();
            ackedCount = 0;
        }
    }

    private final Map<QueueKey, Positions> queues = new HashMap<>();
    private LiveMessages live;
    private LongFunction<Message> reader;
    /**
     * While definitions read ahead of the messages are replayed ({@link MessageStore#adopt}): the position of the
     * one being replayed, whose effects reach only the messages published before it; -1 otherwise.
     */
    private long definitionAt = -1;
    private long published;
    private final RecordNames names = new RecordNames();

    RecoveredMessages(LiveMessages live, LongFunction<Message> reader) {
        this.live = live;
        this.reader = reader;
    }

    /** Binds what was read ahead of time ({@link Prereplay}) to the store that recovers with it. */
    void bind(LiveMessages live, LongFunction<Message> reader) {
        this.live = live;
        this.reader = reader;
    }

    /** See {@link #definitionAt}. */
    void definitionAt(long position) {
        this.definitionAt = position;
    }

    /** Keeps the position only: the payload belongs to the log reader. */
    void publish(long position, ByteBuf payload) {
        StoreRecords.PublishHead p = StoreRecords.decodePublishHead(payload, names);
        published++;
        for (String q : p.queues()) {
            queues.computeIfAbsent(new QueueKey(p.vhost(), q), k -> new Positions()).add(position, p);
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

    void delivery(StoreRecords.Delivery d) {
        Positions held = queues.get(new QueueKey(d.vhost(), d.queue()));
        if (held == null) {
            return;
        }
        for (long event : d.events()) {
            held.delivery(event);
        }
    }

    /** The queue was deleted at this point of the log: its earlier messages are gone. */
    public void queueDeleted(String vhost, String queue) {
        if (definitionAt >= 0) {
            Positions held = queues.get(new QueueKey(vhost, queue));
            if (held != null) {
                held.dropBefore(definitionAt);
            }
            return;
        }
        queues.remove(new QueueKey(vhost, queue));
    }

    /** A definitions snapshot lists every durable queue: drop the messages of any other. */
    public void retainQueues(BiPredicate<String, String> exists) {
        if (definitionAt >= 0) {
            queues.forEach((k, held) -> {
                if (!exists.test(k.vhost(), k.queue())) {
                    held.dropBefore(definitionAt);
                }
            });
            return;
        }
        queues.keySet().removeIf(k -> !exists.test(k.vhost(), k.queue()));
    }

    /**
     * Takes the positions (message ids) of the queue's surviving messages in publish order, for
     * {@code MessageQueue.restorePaged}, and marks them live in the store.
     */
    public long[] takeIds(String vhost, String queue) {
        return takeQueue(vhost, queue).ids();
    }

    /**
     * Takes the queue's surviving messages with their arrival, expiry, due time and priority, in publish order, and
     * marks them live in the store.
     */
    public RecoveredQueue takeQueue(String vhost, String queue) {
        Positions held = queues.remove(new QueueKey(vhost, queue));
        if (held == null) {
            return RecoveredQueue.empty();
        }
        RecoveredQueue survivors = held.survivors();
        live.addRecovered(survivors.ids().clone(), survivors.size());
        return survivors;
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
