package io.warren.store.durable;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.store.Message;
import io.warren.store.MessageQueue;
import io.warren.store.QueueEntry;
import io.warren.store.QueueSettings;
import io.warren.store.SerialExecutor;
import io.warren.store.log.LogConfig;
import io.warren.store.log.LogRecord;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MessageQueue#settled()}: what tx.commit waits for before it waits for the log. */
class SettledTest {
    @TempDir
    Path dir;

    @Test
    void completesOnlyAfterTheAckRecordOfEarlierAcksIsAppended() throws Exception {
        ArrayDeque<Runnable> pool = new ArrayDeque<>();
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            store.recover(new NoDefinitions()).close();
            MessageQueue q = new MessageQueue("/", new QueueSettings("q", true, false, false, Map.of()),
                    new SerialExecutor(pool::add, "q"), x -> {}, store.journal("/", "q"));
            ByteBuf props = Unpooled.buffer(0);
            ByteBuf body = Unpooled.copiedBuffer(new byte[] {1, 2, 3});
            long id = store.publish(0, "/", "", "q", List.of("q"), props, body);
            q.enqueue(new Message(id, "", "q", props, body, true, 0), null);
            QueueEntry[] got = new QueueEntry[1];
            q.get(false, new io.warren.store.GetCallback() {
                @Override
                public void onResult(io.warren.store.GetResult result) {
                    got[0] = result.entry();
                }

                @Override
                public void onFailure(io.warren.store.QueueException failure) {
                    throw new AssertionError(failure);
                }
            });
            runAll(pool);
            long beforeAck = store.endPosition();

            q.ack(got[0]);
            CompletableFuture<Void> settled = q.settled();
            assertThat(settled).as("queue has not run yet").isNotDone();
            assertThat(store.endPosition()).isEqualTo(beforeAck);
            runAll(pool);
            assertThat(settled).isDone();
            // the ack record is in the log's order by then: syncing to the end now covers it
            assertThat(store.endPosition()).isGreaterThan(beforeAck);
            store.syncedToEnd().join();
            LogRecord ack = store.log().read(beforeAck);
            try {
                assertThat(ack.type()).isEqualTo(StoreRecords.ACK);
            } finally {
                ack.release();
            }
            assertThat(store.liveMessages()).isZero();

            q.delete(false, false);
            runAll(pool);
            CompletableFuture<Void> afterDelete = q.settled();
            runAll(pool);
            assertThat(afterDelete).as("also on a deleted queue").isCompleted();
        }
    }

    private static void runAll(ArrayDeque<Runnable> pool) {
        Runnable r;
        while ((r = pool.poll()) != null) {
            r.run();
        }
    }

    private static final class NoDefinitions implements MessageStore.DefinitionReplay {
        @Override
        public void definition(long position, ByteBuf payload, RecoveredMessages messages) {}

        @Override
        public void snapshot(long position, ByteBuf payload, RecoveredMessages messages) {}
    }
}
