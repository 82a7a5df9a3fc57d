package io.warren.store.durable;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.store.Message;
import io.warren.store.QueueJournal;
import io.warren.store.log.LogConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageStoreTest {
    @TempDir
    Path dir;

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static String text(ByteBuf b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    /** Records definitions as strings and applies queue deletions like the server would. */
    private static final class Defs implements MessageStore.DefinitionReplay {
        final List<String> seen = new ArrayList<>();

        @Override
        public void definition(long position, ByteBuf payload, RecoveredMessages messages) {
            String d = text(payload);
            seen.add(d);
            if (d.startsWith("delete ")) {
                messages.queueDeleted("/", d.substring(7));
            }
        }

        @Override
        public void snapshot(long position, ByteBuf payload, RecoveredMessages messages) {
            String d = text(payload);
            seen.clear();
            seen.add("snapshot " + d);
            List<String> queues = List.of(d.split(","));
            messages.retainQueues((v, q) -> queues.contains(q));
        }
    }

    private long publish(MessageStore store, String body, String... queues) {
        ByteBuf props = text("props-" + body);
        ByteBuf b = text(body);
        try {
            return store.publish(3, "/", "ex", "rk", List.of(queues), props, b);
        } finally {
            props.release();
            b.release();
        }
    }

    private static void ack(QueueJournal journal, long... ids) {
        for (long id : ids) {
            Message m = new Message(id, "", "", Unpooled.EMPTY_BUFFER, Unpooled.EMPTY_BUFFER, true, 0);
            journal.removed(m);
            m.release();
        }
        journal.flush();
    }

    private static List<String> bodies(List<Message> messages) {
        List<String> out = new ArrayList<>();
        for (Message m : messages) {
            out.add(text(m.body()));
            m.release();
        }
        return out;
    }

    @Test
    void deliveriesAndReturnsSurviveReopenPerQueue() throws Exception {
        long m1;
        long m2;
        long m3;
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            store.recover(new Defs()).close();
            m1 = publish(store, "m1", "q1", "q2");
            m2 = publish(store, "m2", "q1");
            m3 = publish(store, "m3", "q1");
            QueueJournal q1 = store.journal("/", "q1");
            q1.delivered(m1);
            q1.returned(m1);
            q1.returned(m1);
            q1.delivered(m2);
            q1.flush();
            store.syncedTo(store.endPosition() - 1).get(5, TimeUnit.SECONDS);
        }
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults());
             RecoveredMessages messages = store.recover(new Defs())) {
            RecoveredMessages.RecoveredQueue q1 = messages.takeQueue("/", "q1");
            assertThat(q1.ids()).containsExactly(m1, m2, m3);
            assertThat(q1.delivered()).containsExactly(true, true, false);
            assertThat(q1.deliveryCounts()).containsExactly(2, 0, 0);
            RecoveredMessages.RecoveredQueue q2 = messages.takeQueue("/", "q2");
            assertThat(q2.delivered()).containsExactly(false);
            assertThat(q2.deliveryCounts()).containsExactly(0);
        }
    }

    @Test
    void deliveryStateOfManyMessagesSurvivesTheCompactionOfAckedOnes() throws Exception {
        List<Long> ids = new ArrayList<>();
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            store.recover(new Defs()).close();
            QueueJournal q = store.journal("/", "q");
            for (int i = 0; i < 300; i++) {
                long id = publish(store, "m" + i, "q");
                ids.add(id);
                if (i % 3 == 0) {
                    ack(q, id);
                } else if (i % 3 == 1) {
                    q.delivered(id);
                    q.returned(id);
                    q.flush();
                }
            }
            store.syncedTo(store.endPosition() - 1).get(5, TimeUnit.SECONDS);
        }
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults());
             RecoveredMessages messages = store.recover(new Defs())) {
            RecoveredMessages.RecoveredQueue q = messages.takeQueue("/", "q");
            assertThat(q.size()).isEqualTo(200);
            for (int n = 0; n < q.size(); n++) {
                int i = ids.indexOf(q.ids()[n]);
                assertThat(q.delivered()[n]).isEqualTo(i % 3 == 1);
                assertThat(q.deliveryCounts()[n]).isEqualTo(i % 3 == 1 ? 1 : 0);
            }
        }
    }

    @Test
    void publishesSurviveReopenInOrderAndAckedOnesDoNot() throws Exception {
        long last;
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            store.recover(new Defs()).close();
            publish(store, "m1", "q1", "q2");
            long m2 = publish(store, "m2", "q1");
            last = publish(store, "m3", "q1", "q2");
            ack(store.journal("/", "q1"), m2);
            assertThat(store.liveMessages()).isEqualTo(2);
            store.syncedTo(store.endPosition() - 1).get(5, TimeUnit.SECONDS);
        }
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults());
             RecoveredMessages messages = store.recover(new Defs())) {
            List<Message> q1 = messages.take("/", "q1");
            assertThat(q1.get(0).id()).isLessThan(q1.get(1).id());
            assertThat(q1.get(1).id()).isEqualTo(last);
            assertThat(text(q1.get(0).rawProperties())).isEqualTo("props-m1");
            assertThat(q1.get(0).priority()).isEqualTo(3);
            assertThat(q1.get(0).exchange()).isEqualTo("ex");
            assertThat(q1.get(0).routingKey()).isEqualTo("rk");
            assertThat(q1.get(0).persistent()).isTrue();
            assertThat(bodies(q1)).containsExactly("m1", "m3");
            assertThat(bodies(messages.take("/", "q2"))).containsExactly("m1", "m3");
            assertThat(store.liveMessages()).isEqualTo(2);
            assertThat(messages.publishRecords()).isEqualTo(3);
        }
    }

    @Test
    void deletedQueueAndSnapshotDropMessages() throws Exception {
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            store.recover(new Defs()).close();
            publish(store, "a", "gone");
            store.appendDefinition(text("delete gone"));
            publish(store, "b", "gone");
            publish(store, "c", "kept", "dropped");
            store.appendSnapshot(text("kept,gone"));
            store.syncedTo(store.endPosition() - 1).get(5, TimeUnit.SECONDS);
        }
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            Defs defs = new Defs();
            try (RecoveredMessages messages = store.recover(defs)) {
                assertThat(defs.seen).containsExactly("snapshot kept,gone");
                assertThat(bodies(messages.take("/", "gone"))).containsExactly("b");
                assertThat(bodies(messages.take("/", "kept"))).containsExactly("c");
                assertThat(messages.take("/", "dropped")).isEmpty();
            }
        }
    }

    @Test
    void undecodableRecordIsSkippedAndTheRestRecovers() throws Exception {
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            publish(store, "before", "q");
            ByteBuf garbage = text("\u0001not a publish record");
            store.log().append(StoreRecords.PUBLISH, 0, garbage);
            garbage.release();
            publish(store, "after", "q");
            store.syncedTo(store.endPosition() - 1).get(5, TimeUnit.SECONDS);
        }
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults());
             RecoveredMessages messages = store.recover(new Defs())) {
            assertThat(store.skippedRecords()).isEqualTo(1);
            assertThat(bodies(messages.take("/", "q"))).containsExactly("before", "after");
        }
    }

    @Test
    void segmentsGoOnceNothingInThemIsLive() throws Exception {
        LogConfig small = LogConfig.defaults().withMaxSegmentBytes(1024);
        try (MessageStore store = MessageStore.open(dir, small)) {
            store.recover(new Defs()).close();
            long[] snapshots = {0};
            store.appendSnapshot(text("q"));
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ids.add(publish(store, "message-" + i, "q"));
            }
            store.syncedTo(store.endPosition() - 1).get(5, TimeUnit.SECONDS);
            int segmentsBefore = store.log().segmentBases().size();
            assertThat(segmentsBefore).isGreaterThan(5);
            // nothing acked: nothing may go
            assertThat(store.compact().get(5, TimeUnit.SECONDS)).isZero();
            QueueJournal journal = store.journal("/", "q");
            for (int i = 0; i < 199; i++) {
                ack(journal, ids.get(i));
            }
            store.startRetention(() -> {
                snapshots[0]++;
                ByteBuf s = text("q");
                try {
                    return store.appendSnapshot(s);
                } finally {
                    s.release();
                }
            }, 3_600_000);
            store.compact().get(5, TimeUnit.SECONDS);
            assertThat(snapshots[0]).isEqualTo(1);
            assertThat(store.log().segmentBases().size()).isLessThan(segmentsBefore);
            assertThat(store.log().startPosition()).isLessThanOrEqualTo(ids.get(199));
            store.syncedTo(store.endPosition() - 1).get(5, TimeUnit.SECONDS);
        }
        try (MessageStore store = MessageStore.open(dir, small);
             RecoveredMessages messages = store.recover(new Defs())) {
            assertThat(bodies(messages.take("/", "q"))).containsExactly("message-199");
        }
    }

    @Test
    void aNewEpochTagsLaterRecordsAndSurvivesReopening() throws Exception {
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            store.recover(new Defs()).close();
            long before = publish(store, "zero", "q");
            long start = store.beginEpoch(3);
            long after = publish(store, "three", "q");
            store.syncedTo(after).get(5, TimeUnit.SECONDS);
            assertThat(store.log().read(before).epoch()).isZero();
            assertThat(store.log().epochHistory()).extracting(e -> e.epoch() + "@" + e.start())
                    .containsExactly("0@0", "3@" + start);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.beginEpoch(2))
                    .hasMessageContaining("not above");
        }
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            Defs defs = new Defs();
            try (RecoveredMessages recovered = store.recover(defs)) {
                assertThat(store.skippedRecords()).isZero(); // the epoch's first record is no damage
            }
            assertThat(store.epoch()).isEqualTo(3);
        }
    }
}
