package io.warren.store.durable;

import io.netty.buffer.Unpooled;
import io.warren.store.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The persistent messages found while replaying the log, per (vhost, queue) in publish order, minus the
 * acked ones. The server tells it which queues were deleted as it replays the definitions, then takes each
 * surviving queue's messages. Confined to the thread running recovery.
 */
public final class RecoveredMessages implements AutoCloseable {
    private record QueueKey(String vhost, String queue) {}

    private final Map<QueueKey, LinkedHashMap<Long, Message>> queues = new HashMap<>();
    private final LiveMessages live;
    private long published;

    RecoveredMessages(LiveMessages live) {
        this.live = live;
    }

    /** Copies what it keeps: the record's payload belongs to the log reader. */
    void publish(long position, StoreRecords.Publish p) {
        published++;
        Message message = new Message(position, p.exchange(), p.routingKey(),
                Unpooled.copiedBuffer(p.properties()), Unpooled.copiedBuffer(p.body()), true, p.priority());
        try {
            for (String q : p.queues()) {
                queues.computeIfAbsent(new QueueKey(p.vhost(), q), k -> new LinkedHashMap<>())
                        .put(position, message.retain());
            }
        } finally {
            message.release();
        }
    }

    void ack(StoreRecords.Ack a) {
        LinkedHashMap<Long, Message> held = queues.get(new QueueKey(a.vhost(), a.queue()));
        if (held == null) {
            return;
        }
        for (long position : a.positions()) {
            Message m = held.remove(position);
            if (m != null) {
                m.release();
            }
        }
    }

    /** The queue was deleted at this point of the log: its earlier messages are gone. */
    public void queueDeleted(String vhost, String queue) {
        LinkedHashMap<Long, Message> held = queues.remove(new QueueKey(vhost, queue));
        if (held != null) {
            held.values().forEach(Message::release);
        }
    }

    /** A definitions snapshot lists every durable queue: drop the messages of any other. */
    public void retainQueues(BiPredicate<String, String> exists) {
        List<QueueKey> gone = new ArrayList<>();
        for (QueueKey k : queues.keySet()) {
            if (!exists.test(k.vhost(), k.queue())) {
                gone.add(k);
            }
        }
        gone.forEach(k -> queueDeleted(k.vhost(), k.queue()));
    }

    /**
     * Takes the queue's surviving messages in publish order (each reference is the caller's, to hand to
     * {@code MessageQueue.restore}) and marks them live in the store.
     */
    public List<Message> take(String vhost, String queue) {
        LinkedHashMap<Long, Message> held = queues.remove(new QueueKey(vhost, queue));
        if (held == null) {
            return List.of();
        }
        held.keySet().forEach(live::addOne);
        return new ArrayList<>(held.values());
    }

    /** Publish records read, including acked ones. */
    public long publishRecords() {
        return published;
    }

    /** Drops what no queue took (queues that no longer exist). */
    @Override
    public void close() {
        queues.values().forEach(held -> held.values().forEach(Message::release));
        queues.clear();
    }
}
