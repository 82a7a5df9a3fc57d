package io.warren.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Queues with features, on a same-thread executor, with a hand-moved clock and timer, a recording dead-letter sink,
 * retry scheduler, journal and in-memory spill that all write to one event list (to check their order). Keeps every
 * message it makes so that {@link #close} can check none leaked and release what a test still holds. Test thread
 * only.
 */
final class FeatureFixture {

    static final long START = 1_000_000;

    /** One dead letter the sink received. */
    record DeadLetter(long id, DeadReason reason, String exchange, String routingKey) {}

    final ManualTimer timer = new ManualTimer(START);
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final List<MessageQueue> deleted = new CopyOnWriteArrayList<>();
    /** "dlx <id> <reason>", "ack <id>", "retry <id>" in the order they happened. */
    final List<String> events = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    final List<Message> retried = new ArrayList<>();
    /** What the fake retry scheduler answers. */
    boolean retriesLeft = true;
    final MapSpill spill = new MapSpill();
    private final List<Message> made = new ArrayList<>();

    final DeadLetterSink sink = (source, message, reason, dlx, dlrk) -> {
        events.add("dlx " + message.id() + " " + reason.reason());
        deadLetters.add(new DeadLetter(message.id(), reason, dlx, dlrk));
        message.release();
    };

    final RedeliveryScheduler retries = (source, message, policy) -> {
        if (!retriesLeft) {
            return false;
        }
        events.add("retry " + message.id());
        retried.add(message);
        return true;
    };

    final QueueJournal journal = message -> events.add("ack " + message.id());

    QueueHooks hooks() {
        return new QueueHooks(timer, timer, sink, retries);
    }

    /** A queue with the given features; persistent messages' removals go to {@link #events}. */
    MessageQueue queue(QueueFeatures features) {
        return queue(features, Residency.DEFAULT, null);
    }

    MessageQueue queue(QueueFeatures features, Residency residency, MessageSpill spill) {
        SerialExecutor executor = new SerialExecutor(Runnable::run, "q", 64, failures::add);
        return new MessageQueue("/", QueueSettings.named("q"), executor, deleted::add, journal, spill, residency,
                features, hooks());
    }

    static Features features() {
        return new Features();
    }

    /** A persistent message (id >= 0, so its removal is journaled). */
    Message message(long id) {
        return message(id, 0, Message.NEVER, 10);
    }

    Message message(long id, int priority, long expiresAt, int bodySize) {
        ByteBuf properties = PooledByteBufAllocator.DEFAULT.buffer(2).writeShort(0);
        ByteBuf body = PooledByteBufAllocator.DEFAULT.buffer(bodySize);
        String text = ("body-" + id + "-" + "x".repeat(bodySize)).substring(0, bodySize);
        body.writeCharSequence(text, StandardCharsets.UTF_8);
        Message m = new Message(id, "ex", "rk", properties, body, true, priority, timer.getAsLong(), expiresAt);
        made.add(m);
        return m;
    }

    /** Enqueues messages with these ids (priority 0, no own expiry). */
    void enqueue(MessageQueue queue, long... ids) {
        for (long id : ids) {
            queue.enqueue(message(id), null);
        }
    }

    static long id(QueueEntry entry) {
        return entry.message().id();
    }

    /** A no-ack basic.get: the id, or -1 for get-empty; releases what it took. */
    static long getId(MessageQueue queue) {
        List<GetResult> got = new ArrayList<>();
        queue.get(true, new RecordingGet(got));
        assertThat(got).hasSize(1);
        if (got.get(0).isEmpty()) {
            return -1;
        }
        Message m = got.get(0).entry().message();
        m.release();
        return m.id();
    }

    List<Long> drainIds(MessageQueue queue) {
        List<Long> ids = new ArrayList<>();
        long id;
        while ((id = getId(queue)) >= 0) {
            ids.add(id);
        }
        return ids;
    }

    List<DeadReason> reasons() {
        return deadLetters.stream().map(DeadLetter::reason).toList();
    }

    List<Long> deadIds() {
        return deadLetters.stream().map(DeadLetter::id).toList();
    }

    void close() {
        assertThat(failures).isEmpty();
        for (Message m : retried) {
            m.release();
        }
        spill.clear();
        for (Message m : made) {
            if (m.refCnt() > 0) {
                m.release(m.refCnt());
            }
        }
    }

    /** An in-memory MessageSpill holding one reference per written message. */
    static final class MapSpill implements MessageSpill {
        private final Map<Long, Message> held = new HashMap<>();
        private long next;

        @Override
        public long write(Message message) {
            held.put(next, message.retain());
            return next++;
        }

        @Override
        public Message read(long position) {
            return held.remove(position);
        }

        @Override
        public void discard(long position) {
            held.remove(position).release();
        }

        int size() {
            return held.size();
        }

        void clear() {
            held.values().forEach(Message::release);
            held.clear();
        }
    }

    /** Builds QueueFeatures by name. */
    static final class Features {
        long messageTtl = -1;
        long expires = -1;
        long maxLength = -1;
        long maxLengthBytes = -1;
        Overflow overflow = Overflow.DROP_HEAD;
        String dlx;
        String dlrk;
        int maxPriority;
        long deliveryLimit = -1;
        boolean sac;
        RetryPolicy retry;

        Features ttl(long ms) {
            messageTtl = ms;
            return this;
        }

        Features expires(long ms) {
            expires = ms;
            return this;
        }

        Features maxLength(long n) {
            maxLength = n;
            return this;
        }

        Features maxLengthBytes(long n) {
            maxLengthBytes = n;
            return this;
        }

        Features overflow(Overflow o) {
            overflow = o;
            return this;
        }

        Features dlx(String exchange, String routingKey) {
            dlx = exchange;
            dlrk = routingKey;
            return this;
        }

        Features maxPriority(int p) {
            maxPriority = p;
            return this;
        }

        Features deliveryLimit(long n) {
            deliveryLimit = n;
            return this;
        }

        Features singleActiveConsumer() {
            sac = true;
            return this;
        }

        Features retry(RetryPolicy policy) {
            retry = policy;
            return this;
        }

        QueueFeatures build() {
            return new QueueFeatures(messageTtl, expires, maxLength, maxLengthBytes, overflow, dlx, dlrk, maxPriority,
                    deliveryLimit, -1, sac, retry);
        }
    }
}
