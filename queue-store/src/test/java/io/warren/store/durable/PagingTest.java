package io.warren.store.durable;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.store.GetCallback;
import io.warren.store.GetResult;
import io.warren.store.Message;
import io.warren.store.MessageQueue;
import io.warren.store.QueueEntry;
import io.warren.store.QueueException;
import io.warren.store.QueueSettings;
import io.warren.store.SerialExecutor;
import io.warren.store.log.LogConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deep durable queue keeps only log positions for its backlog and reads bodies back when they leave it. */
class PagingTest {
    private static final int MESSAGES = 5_000;
    private static final QueueSettings DURABLE = new QueueSettings("q", true, false, false, Map.of());

    @TempDir
    Path dir;

    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    @AfterEach
    void noFailures() {
        assertThat(failures).isEmpty();
    }

    private MessageQueue queue(MessageStore store) {
        return new MessageQueue("/", DURABLE, new SerialExecutor(Runnable::run, "q", 64, failures::add), q -> {},
                store.journal("/", "q"));
    }

    /** Publishes like the server: log once, the queue takes the reference. */
    private static void publish(MessageStore store, MessageQueue q, String body, boolean persistent) {
        ByteBuf props = Unpooled.copiedBuffer("p-" + body, StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        long id = persistent ? store.publish(0, "/", "ex", "rk-" + body, List.of("q"), props, b) : -1;
        q.enqueue(new Message(id, "ex", "rk-" + body, props, b, persistent, 0), null);
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

    /** Drains with no-ack gets: bodies (and routing keys and properties, which must match) in order. */
    private static List<String> drain(MessageQueue q, java.util.function.Predicate<String> redelivered) {
        List<String> bodies = new ArrayList<>();
        GetResult r;
        while ((r = get(q)).entry() != null) {
            QueueEntry e = r.entry();
            Message m = e.message();
            String body = m.body().toString(StandardCharsets.UTF_8);
            assertThat(m.routingKey()).isEqualTo("rk-" + body);
            assertThat(m.rawProperties().toString(StandardCharsets.UTF_8)).isEqualTo("p-" + body);
            if (m.persistent()) {
                assertThat(e.redelivered()).as(body).isEqualTo(redelivered.test(body));
            }
            bodies.add(body);
            m.release();
        }
        return bodies;
    }

    private static List<String> expected(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("m" + i);
        }
        return out;
    }

    @Test
    void deepQueueKeepsPositionsOnlyAndDeliversEverythingInOrder() throws Exception {
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            store.recover(new Defs()).close();
            MessageQueue q = queue(store);
            for (int i = 0; i < MESSAGES; i++) {
                // a few transient ones among the paged: they must keep their place
                publish(store, q, "m" + i, i % 1000 != 999);
            }
            long[] stats = q.pagingStats().join();
            assertThat(stats[0]).as("paged-out messages").isGreaterThan(MESSAGES - 1100);
            assertThat(stats[1]).as("resident bytes").isLessThan(1100 * 6);
            assertThat(q.messageCount()).isEqualTo(MESSAGES);
            assertThat(drain(q, b -> false)).containsExactlyElementsOf(expected(0, MESSAGES));
            assertThat(store.liveMessages()).isZero();
        }
    }

    @Test
    void recoveredBacklogIsRestoredAsPositionsAndReadBack() throws Exception {
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            store.recover(new Defs()).close();
            MessageQueue q = queue(store);
            for (int i = 0; i < MESSAGES; i++) {
                publish(store, q, "m" + i, true);
            }
            for (int i = 0; i < 10; i++) {
                get(q).entry().message().release(); // acked by the no-ack get
            }
            store.syncedToEnd().get(5, TimeUnit.SECONDS);
            q.shutdown().join();
        }
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            MessageQueue q = queue(store);
            try (RecoveredMessages recovered = store.recover(new Defs())) {
                long[] ids = recovered.takeIds("/", "q");
                assertThat(ids).hasSize(MESSAGES - 10);
                q.restorePaged(ids);
            }
            assertThat(store.liveMessages()).isEqualTo(MESSAGES - 10);
            assertThat(q.pagingStats().join()[0]).isEqualTo(MESSAGES - 10);
            publish(store, q, "m" + MESSAGES, true); // behind the recovered ones
            List<String> all = drain(q, b -> !b.equals("m" + MESSAGES));
            assertThat(all.subList(0, MESSAGES - 10)).containsExactlyElementsOf(expected(10, MESSAGES));
            assertThat(all.get(MESSAGES - 10)).isEqualTo("m" + MESSAGES);
        }
    }

    @Test
    void purgeOfPagedMessagesIsJournaled() throws Exception {
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            store.recover(new Defs()).close();
            MessageQueue q = queue(store);
            for (int i = 0; i < MESSAGES; i++) {
                publish(store, q, "m" + i, true);
            }
            assertThat(q.purge().join()).isEqualTo(MESSAGES);
            assertThat(store.liveMessages()).isZero();
            store.syncedToEnd().get(5, TimeUnit.SECONDS);
        }
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults());
             RecoveredMessages recovered = store.recover(new Defs())) {
            assertThat(recovered.takeIds("/", "q")).isEmpty();
        }
    }

    /** No definitions: every queue the log names is kept. */
    private static final class Defs implements MessageStore.DefinitionReplay {
        @Override
        public void definition(long position, ByteBuf payload, RecoveredMessages messages) {}

        @Override
        public void snapshot(long position, ByteBuf payload, RecoveredMessages messages) {}
    }
}
