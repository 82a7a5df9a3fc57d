package io.warren.store;

import static io.warren.store.FeatureFixture.START;
import static io.warren.store.FeatureFixture.features;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.store.durable.MessageStore;
import io.warren.store.durable.RecoveredMessages;
import io.warren.store.log.LogConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MessageQueue.restore(RecoveredQueue): priorities to their lanes, expiry from arrival, positions-only paging. */
class RestoreTest {

    @TempDir
    Path dir;

    private final FeatureFixture f = new FeatureFixture();

    @AfterEach
    void close() {
        f.close();
    }

    /** No definitions: every queue the log names is kept. */
    private static final class Defs implements MessageStore.DefinitionReplay {
        @Override
        public void definition(long position, ByteBuf payload, RecoveredMessages messages) {}

        @Override
        public void snapshot(long position, ByteBuf payload, RecoveredMessages messages) {}
    }

    private static void log(MessageStore store, String body, int priority, long arrival, long expiresAt) {
        ByteBuf props = Unpooled.copiedBuffer("p", StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        store.publish(priority, arrival, expiresAt, -1, "/", "ex", "rk", List.of("q"), props, b);
    }

    private MessageQueue queue(MessageStore store, QueueFeatures features) {
        SerialExecutor executor = new SerialExecutor(Runnable::run, "q", 64, f.failures::add);
        return new MessageQueue("/", new QueueSettings("q", true, false, false, java.util.Map.of()), executor,
                x -> {}, store.journal("/", "q"), null, Residency.DEFAULT, features, f.hooks());
    }

    private static List<String> drain(MessageQueue q) {
        List<String> bodies = new ArrayList<>();
        while (true) {
            List<GetResult> got = new ArrayList<>();
            q.get(true, new RecordingGet(got));
            if (got.get(0).isEmpty()) {
                return bodies;
            }
            QueueEntry e = got.get(0).entry();
            assertThat(e.redelivered()).as("never delivered before the restart").isFalse();
            bodies.add(e.message().body().toString(StandardCharsets.UTF_8));
            e.message().release();
        }
    }

    private void write(ThrowingConsumer body) throws Exception {
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            store.recover(new Defs()).close();
            body.accept(store);
            store.syncedToEnd().get(5, TimeUnit.SECONDS);
        }
    }

    interface ThrowingConsumer {
        void accept(MessageStore store) throws Exception;
    }

    @Test
    void restoredMessagesGoToTheirLanesAndExpireFromTheirArrival() throws Exception {
        write(store -> {
            log(store, "a", 0, START - 5000, Message.NEVER); // past the queue TTL already
            log(store, "b", 5, START, START + 100); // its own expiry
            log(store, "c", 5, START, Message.NEVER);
            log(store, "d", 0, START, Message.NEVER);
            log(store, "e", 9, START, Message.NEVER); // above the maximum: lane 5
        });
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            MessageQueue q = queue(store, features().maxPriority(5).ttl(1000).dlx("dlx", null).build());
            try (RecoveredMessages recovered = store.recover(new Defs())) {
                q.restore(recovered.takeQueue("/", "q"));
            }
            assertThat(f.reasons()).containsExactly(DeadReason.EXPIRED);
            assertThat(q.messageCount()).isEqualTo(4);
            assertThat(q.pagingStats().join()[0]).as("positions only").isEqualTo(4);
            f.timer.advance(100);
            assertThat(f.reasons()).containsExactly(DeadReason.EXPIRED, DeadReason.EXPIRED);
            assertThat(drain(q)).containsExactly("c", "e", "d");
            assertThat(store.liveMessages()).isZero();
        }
    }

    @Test
    void lengthLimitsApplyToRestoredMessagesWithTheirSizes() throws Exception {
        write(store -> {
            for (int i = 0; i < 5; i++) {
                log(store, "m" + i + "-0123456789", 0, START, Message.NEVER); // 13 bytes each
            }
        });
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            MessageQueue q = queue(store, features().maxLengthBytes(30).build());
            try (RecoveredMessages recovered = store.recover(new Defs())) {
                q.restore(recovered.takeQueue("/", "q"));
            }
            assertThat(q.messageCount()).isEqualTo(2);
            assertThat(drain(q)).containsExactly("m3-0123456789", "m4-0123456789");
            assertThat(store.liveMessages()).isZero();
        }
    }
}
