package io.warren.store.durable;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.store.GetCallback;
import io.warren.store.GetResult;
import io.warren.store.Message;
import io.warren.store.MessageQueue;
import io.warren.store.QueueException;
import io.warren.store.QueueSettings;
import io.warren.store.SerialExecutor;
import io.warren.store.log.LogConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backlogged queues page out what the durable store does not hold (transient messages) to the TransientStore. */
class TransientPagingTest {
    private static final int MESSAGES = 5_000;
    private static final long SEGMENT = 64 << 10;

    @TempDir
    Path dir;

    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    @AfterEach
    void noFailures() {
        assertThat(failures).isEmpty();
    }

    private MessageQueue queue(QueueSettings settings, io.warren.store.QueueJournal journal, TransientStore spill) {
        return new MessageQueue("/", settings, new SerialExecutor(Runnable::run, "q", 64, failures::add), q -> {},
                journal, spill);
    }

    private static void publish(MessageStore store, MessageQueue q, int i, boolean persistent) {
        String body = "m" + i + "-" + "x".repeat(i % 50);
        ByteBuf props = Unpooled.copiedBuffer("p-" + body, StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        long id = persistent && store != null
                ? store.publish(i % 7, "/", "ex", "rk-" + body, List.of("q"), props, b) : -1;
        q.enqueue(new Message(id, "ex", "rk-" + body, props, b, persistent, i % 7), null);
    }

    private static GetResult get(MessageQueue q) {
        GetResult[] out = new GetResult[1];
        q.get(true, new GetCallback() {
            @Override
            public void onResult(GetResult result) {
                out[0] = result;
            }

            @Override
            public void onFailure(QueueException failure) {
                throw new AssertionError(failure);
            }
        });
        return out[0];
    }

    /** Drains with no-ack gets, checking every field survived the round trip; returns the indexes in order. */
    private static List<Integer> drain(MessageQueue q) {
        List<Integer> order = new ArrayList<>();
        GetResult r;
        while ((r = get(q)).entry() != null) {
            Message m = r.entry().message();
            String body = m.body().toString(StandardCharsets.UTF_8);
            int i = Integer.parseInt(body.substring(1, body.indexOf('-')));
            assertThat(body).isEqualTo("m" + i + "-" + "x".repeat(i % 50));
            assertThat(m.routingKey()).isEqualTo("rk-" + body);
            assertThat(m.exchange()).isEqualTo("ex");
            assertThat(m.rawProperties().toString(StandardCharsets.UTF_8)).isEqualTo("p-" + body);
            assertThat(m.priority()).isEqualTo(i % 7);
            order.add(i);
            m.release();
        }
        return order;
    }

    private static List<Integer> upTo(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void nonDurableQueueOverflowGoesToTheTransientLogAndComesBackInOrder() throws Exception {
        try (TransientStore spill = TransientStore.open(dir.resolve("transient"), SEGMENT)) {
            MessageQueue q = queue(QueueSettings.named("q"), null, spill);
            for (int i = 0; i < MESSAGES; i++) {
                publish(null, q, i, false);
            }
            long[] stats = q.pagingStats().join();
            assertThat(stats[0]).as("paged-out messages").isEqualTo(MESSAGES - 1024);
            assertThat(stats[1]).as("resident bytes").isLessThan(1024 * 60);
            assertThat(spill.liveMessages()).isEqualTo(MESSAGES - 1024);
            assertThat(q.messageCount()).isEqualTo(MESSAGES);
            assertThat(spill.log().segmentBases().size()).isGreaterThan(2);

            assertThat(drain(q)).containsExactlyElementsOf(upTo(MESSAGES));
            assertThat(spill.liveMessages()).isZero();
            spill.compact().join();
            assertThat(spill.log().segmentBases()).as("consumed segments deleted").hasSize(1);
        }
        assertThat(logBytes(dir.resolve("transient"))).as("closed: files wiped").isZero();
    }

    @Test
    void purgeDiscardsSpilledRecordsAndFreesTheirSegments() throws Exception {
        try (TransientStore spill = TransientStore.open(dir.resolve("transient"), SEGMENT)) {
            MessageQueue q = queue(QueueSettings.named("q"), null, spill);
            for (int i = 0; i < MESSAGES; i++) {
                publish(null, q, i, i % 2 == 0); // persistent or not: a non-durable queue spills both
            }
            assertThat(spill.liveMessages()).isEqualTo(MESSAGES - 1024);
            assertThat(q.purge().join()).isEqualTo(MESSAGES);
            assertThat(spill.liveMessages()).isZero();
            spill.compact().join();
            assertThat(spill.log().segmentBases()).hasSize(1);
            publish(null, q, 1, false);
            assertThat(drain(q)).containsExactly(1);
        }
    }

    @Test
    void durableQueueSpillsItsTransientMessagesAndPagesPersistentOnesFromTheStore() throws Exception {
        QueueSettings durable = new QueueSettings("q", true, false, false, Map.of());
        try (MessageStore store = MessageStore.open(Files.createDirectories(dir.resolve("log")), LogConfig.defaults());
             TransientStore spill = TransientStore.open(dir.resolve("transient"), SEGMENT)) {
            store.recover(new Defs()).close();
            MessageQueue q = queue(durable, store.journal("/", "q"), spill);
            for (int i = 0; i < MESSAGES; i++) {
                publish(store, q, i, i % 3 != 0);
            }
            long[] stats = q.pagingStats().join();
            assertThat(stats[0]).isEqualTo(MESSAGES - 1024);
            assertThat(spill.liveMessages()).as("transient ones spilled").isBetween(1300, 1400);
            assertThat(drain(q)).containsExactlyElementsOf(upTo(MESSAGES));
            assertThat(spill.liveMessages()).isZero();
            assertThat(store.liveMessages()).isZero();
        }
    }

    @Test
    void openingWipesWhatAnEarlierRunLeft() throws Exception {
        Path t = dir.resolve("transient");
        try (TransientStore spill = TransientStore.open(t, SEGMENT)) {
            MessageQueue q = queue(QueueSettings.named("q"), null, spill);
            for (int i = 0; i < 2000; i++) {
                publish(null, q, i, false);
            }
            spill.log().syncedTo(spill.log().endPosition() - 1).join();
            // simulate a crash: keep a copy of the files as they are while open
            try (Stream<Path> files = Files.list(t)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.move(f, t.resolve(f.getFileName()));
            }
        }
        assertThat(logBytes(t)).isPositive();
        try (TransientStore spill = TransientStore.open(t, SEGMENT)) {
            assertThat(spill.log().endPosition()).isZero();
            assertThat(logBytes(t)).isZero();
        }
    }

    private static long logBytes(Path d) throws Exception {
        try (Stream<Path> files = Files.list(d)) {
            return files.filter(p -> p.toString().endsWith(".log")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static final class Defs implements MessageStore.DefinitionReplay {
        @Override
        public void definition(long position, ByteBuf payload, RecoveredMessages messages) {}

        @Override
        public void snapshot(long position, ByteBuf payload, RecoveredMessages messages) {}
    }
}
