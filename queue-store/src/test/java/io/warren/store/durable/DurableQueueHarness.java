package io.warren.store.durable;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.store.Message;
import io.warren.store.MessageQueue;
import io.warren.store.QueueConsumer;
import io.warren.store.QueueEntry;
import io.warren.store.QueueSettings;
import io.warren.store.SerialExecutor;
import io.warren.store.log.LogConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A durable queue over a real {@link MessageStore} in a temporary directory, next to a plain model: ready
 * messages (always in publish order: requeued ones go back to their place, recovered ones come back in
 * publish order), the unacked ones the "channel" holds, and which are to be delivered redelivered. Restart
 * closes the store as the broker does and recovers it. Same-thread executor: every call has finished when
 * it returns. Test thread only.
 */
final class DurableQueueHarness implements AutoCloseable {
    private static final QueueSettings DURABLE = new QueueSettings("q", true, false, false, Map.of());
    private static final LogConfig CONFIG = LogConfig.defaults().withMaxSegmentBytes(16 * 1024);

    private final Path dir;
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private MessageStore store;
    private MessageQueue queue;
    private final Consumer consumer = new Consumer();

    // The model: message numbers.
    private int published;
    private final TreeSet<Integer> ready = new TreeSet<>();
    private final Set<Integer> redelivered = new HashSet<>(); // numbers to be delivered redelivered
    private final Map<Integer, QueueEntry> unacked = new HashMap<>(); // held by the "channel"
    private final TreeSet<Integer> gone = new TreeSet<>(); // acked, discarded, purged: never again
    private final Map<Long, Integer> numberOf = new HashMap<>(); // log position -> message number

    DurableQueueHarness() {
        try {
            dir = Files.createTempDirectory("durable-queue-model");
            open(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void publish() {
        publishOne();
        check();
    }

    private void publishOne() {
        int n = published++;
        ByteBuf props = Unpooled.copiedBuffer("p" + n, StandardCharsets.UTF_8);
        ByteBuf body = Unpooled.copiedBuffer("m" + n, StandardCharsets.UTF_8);
        long id = store.publish(0, "/", "ex", "rk" + n, List.of("q"), props, body);
        numberOf.put(id, n);
        queue.enqueue(new Message(id, "ex", "rk" + n, props, body, true, 0), null);
        ready.add(n);
    }

    /** More messages than a durable queue keeps in memory: the rest are paged out to the log. */
    void publishBurst() {
        for (int i = 0; i < 1100; i++) {
            publishOne();
        }
        check();
    }

    /** Grants credit for {@code count} deliveries to the ack-mode consumer; each must be the model's head. */
    void deliver(int count) {
        consumer.credit += count;
        queue.consumerReady();
        int expected = Math.min(count, ready.size());
        assertThat(consumer.delivered).as("deliveries").hasSize(expected);
        for (QueueEntry entry : consumer.delivered) {
            int n = ready.pollFirst();
            assertThat(body(entry.message())).isEqualTo("m" + n);
            assertThat(entry.message().routingKey()).isEqualTo("rk" + n);
            assertThat(entry.message().rawProperties().toString(StandardCharsets.UTF_8)).isEqualTo("p" + n);
            assertThat(entry.redelivered()).as("redelivered m" + n).isEqualTo(redelivered.contains(n));
            unacked.put(n, entry);
        }
        consumer.credit = 0;
        consumer.delivered.clear();
        check();
    }

    void ack(int pick) {
        int n = held(pick);
        queue.ack(unacked.remove(n));
        gone.add(n);
        check();
    }

    void requeue(int pick) {
        int n = held(pick);
        queue.requeue(unacked.remove(n));
        ready.add(n);
        redelivered.add(n);
        check();
    }

    void discard(int pick) {
        int n = held(pick);
        queue.discard(unacked.remove(n));
        gone.add(n);
        check();
    }

    void purge() {
        assertThat(queue.purge().join()).isEqualTo(ready.size());
        gone.addAll(ready);
        ready.clear();
        check();
    }

    /** Writes a definitions snapshot and deletes the segments nothing live needs any more. */
    void compact() {
        store.appendSnapshot(Unpooled.EMPTY_BUFFER);
        store.syncedToEnd().join();
        store.compact().join();
        check();
    }

    /** Closes queue and store as a broker stop does, reopens and recovers: unacked ones come back redelivered. */
    void restart() {
        try {
            queue.shutdown().join();
            for (QueueEntry entry : unacked.values()) {
                entry.message().release(); // the stopped queue no longer tracks them
            }
            store.close();
            ready.addAll(unacked.keySet());
            unacked.clear();
            redelivered.clear();
            redelivered.addAll(ready);
            open(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        check();
    }

    /** One burst per run keeps the property fast. */
    boolean shallow() {
        return published < 1100;
    }

    boolean holdsUnacked() {
        return !unacked.isEmpty();
    }

    /** Ends the chain: drains everything with no-ack gets and compares with the model. */
    void drain() {
        restart();
        deliver(ready.size() + 1);
        unacked.values().forEach(queue::ack);
        gone.addAll(unacked.keySet());
        unacked.clear();
        check();
        restart();
        assertThat(queue.messageCount()).isZero();
        assertThat(store.liveMessages()).isZero();
    }

    private int held(int pick) {
        List<Integer> held = unacked.keySet().stream().sorted().toList();
        return held.get(pick % held.size());
    }

    private void open(boolean recover) throws IOException {
        store = MessageStore.open(dir, CONFIG);
        queue = new MessageQueue("/", DURABLE, new SerialExecutor(Runnable::run, "q", 64, failures::add),
                q -> {}, store.journal("/", "q"));
        try (RecoveredMessages recovered = store.recover(new NoDefinitions())) {
            long[] ids = recovered.takeIds("/", "q");
            List<Integer> numbers = new ArrayList<>();
            for (long id : ids) {
                numbers.add(numberOf.get(id));
            }
            if (recover) {
                // Exactly what was ready or unacked, in publish order; nothing acked, discarded or purged.
                assertThat(numbers).as("recovered").containsExactlyElementsOf(ready);
            }
            queue.restorePaged(ids);
        }
        queue.addConsumer(consumer).join();
    }

    private void check() {
        assertThat(failures).as("queue task failures").isEmpty();
        assertThat(queue.messageCount()).as("ready").isEqualTo(ready.size());
        assertThat(queue.unackedCount()).as("unacked").isEqualTo(unacked.size());
        assertThat(store.liveMessages()).as("live publishes").isEqualTo(ready.size() + unacked.size());
        List<Integer> back = ready.stream().filter(gone::contains).toList();
        assertThat(back).as("acked, discarded or purged but ready again").isEmpty();
    }

    private static String body(Message m) {
        return m.body().toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            queue.shutdown().join();
            try {
                store.close();
            } catch (RuntimeException | IOException e) {
                // already closed by a failed restart: the files still go
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An ack-mode consumer taking as many deliveries as the test grants. */
    private static final class Consumer implements QueueConsumer {
        int credit;
        final List<QueueEntry> delivered = new ArrayList<>();

        @Override
        public String tag() {
            return "c";
        }

        @Override
        public boolean noAck() {
            return false;
        }

        @Override
        public boolean tryAcquireCredit() {
            if (credit == 0) {
                return false;
            }
            credit--;
            return true;
        }

        @Override
        public void deliver(MessageQueue q, QueueEntry entry) {
            delivered.add(entry);
        }

        @Override
        public void cancelledByQueue() {}
    }

    /** No definitions: the store keeps every queue the log names. */
    private static final class NoDefinitions implements MessageStore.DefinitionReplay {
        @Override
        public void definition(long position, ByteBuf payload, RecoveredMessages messages) {}

        @Override
        public void snapshot(long position, ByteBuf payload, RecoveredMessages messages) {}
    }
}
