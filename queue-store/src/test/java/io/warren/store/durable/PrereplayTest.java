package io.warren.store.durable;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.store.Message;
import io.warren.store.QueueJournal;
import io.warren.store.log.DurableLog;
import io.warren.store.log.LogConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery with the log's first records read ahead ({@link Prereplay}, {@link MessageStore#adopt}) must find what
 * reading the whole log at once finds, wherever the log is split: the same surviving messages per queue with the same
 * delivery state, and the same definitions replayed in the same order, with queues deleted and snapshots taken on
 * either side of the split.
 */
class PrereplayTest {
    @TempDir
    Path dir;

    private static final List<String> QUEUES = List.of("q0", "q1", "q2", "q3");

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    /** Definitions as text: "delete Q" deletes a queue, a snapshot lists the queues that exist. */
    private static final class Defs implements MessageStore.DefinitionReplay {
        final List<String> seen = new ArrayList<>();

        @Override
        public void definition(long position, ByteBuf payload, RecoveredMessages messages) {
            String d = payload.toString(StandardCharsets.UTF_8);
            seen.add(position + " " + d);
            if (d.startsWith("delete ")) {
                messages.queueDeleted("/", d.substring(7));
            }
        }

        @Override
        public void snapshot(long position, ByteBuf payload, RecoveredMessages messages) {
            String d = payload.toString(StandardCharsets.UTF_8);
            seen.add(position + " snapshot " + d);
            List<String> queues = List.of(d.split(","));
            messages.retainQueues((v, q) -> queues.contains(q));
        }
    }

    /** A log of publishes, deliveries, returns, acks, queue deletions and snapshots, from a seeded random sequence. */
    private void write(long seed, int operations) throws Exception {
        Random random = new Random(seed);
        Map<String, List<Long>> held = new HashMap<>();
        QUEUES.forEach(q -> held.put(q, new ArrayList<>()));
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            store.recover(new Defs()).close();
            for (int i = 0; i < operations; i++) {
                int op = random.nextInt(100);
                String q = QUEUES.get(random.nextInt(QUEUES.size()));
                QueueJournal journal = store.journal("/", q);
                if (op < 50) {
                    List<String> to = new ArrayList<>();
                    for (String each : QUEUES) {
                        if (random.nextInt(3) == 0 || each.equals(q)) {
                            to.add(each);
                        }
                    }
                    ByteBuf props = text("p");
                    ByteBuf body = text("m" + i);
                    long id = store.publish(random.nextInt(10), "/", "ex", "rk", to, props, body);
                    props.release();
                    body.release();
                    to.forEach(each -> held.get(each).add(id));
                } else if (op < 65 && !held.get(q).isEmpty()) {
                    long id = held.get(q).get(random.nextInt(held.get(q).size()));
                    journal.delivered(id);
                    if (random.nextBoolean()) {
                        journal.returned(id);
                    }
                    journal.flush();
                } else if (op < 90 && !held.get(q).isEmpty()) {
                    long id = held.get(q).remove(random.nextInt(held.get(q).size()));
                    Message m = new Message(id, "", "", Unpooled.EMPTY_BUFFER, Unpooled.EMPTY_BUFFER, true, 0);
                    journal.removed(m);
                    m.release();
                    journal.flush();
                } else if (op < 96) {
                    ByteBuf d = text("delete " + q);
                    store.appendDefinition(d);
                    d.release();
                    held.get(q).clear();
                } else {
                    List<String> kept = new ArrayList<>();
                    for (String each : QUEUES) {
                        if (random.nextInt(4) != 0) {
                            kept.add(each);
                        } else {
                            held.get(each).clear();
                        }
                    }
                    ByteBuf d = text(String.join(",", kept.isEmpty() ? List.of("none") : kept));
                    store.appendSnapshot(d);
                    d.release();
                }
            }
            store.syncedTo(store.endPosition() - 1).get(10, TimeUnit.SECONDS);
        }
    }

    /** What recovery found: the definitions it replayed, then per queue its survivors with their delivery state. */
    private static List<String> found(MessageStore store, Defs defs) throws Exception {
        try (RecoveredMessages messages = store.recover(defs)) {
            List<String> out = new ArrayList<>(defs.seen);
            for (String q : QUEUES) {
                RecoveredMessages.RecoveredQueue r = messages.takeQueue("/", q);
                out.add(q + " ids " + Arrays.toString(r.ids()) + " delivered " + Arrays.toString(r.delivered())
                    + " counts " + Arrays.toString(r.deliveryCounts()) + " priorities " + Arrays.toString(r.priorities())
                    + " sizes " + Arrays.toString(r.sizes()));
            }
            return out;
        }
    }

    @Test
    void recoveringWithTheFirstRecordsReadAheadFindsWhatReadingItAllFinds() throws Exception {
        for (long seed = 1; seed <= 6; seed++) {
            java.nio.file.Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir))
                .forEach(p -> p.toFile().delete());
            write(seed, 600);
            List<String> whole;
            long start;
            long end;
            try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
                whole = found(store, new Defs());
                start = store.log().startPosition();
                end = store.endPosition();
            }
            assertThat(whole).anyMatch(s -> s.contains(" delete "));
            Random random = new Random(seed);
            List<Long> limits = new ArrayList<>(List.of(start, end, end + 1000));
            for (int i = 0; i < 6; i++) {
                limits.add(start + (long) (random.nextDouble() * (end - start)));
            }
            for (long limit : limits) {
                Prereplay ahead;
                try (DurableLog log = DurableLog.open(dir, LogConfig.defaults())) {
                    ahead = Prereplay.read(log, limit, () -> false);
                }
                assertThat(ahead.end()).isLessThanOrEqualTo(Math.max(limit, start));
                try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
                    store.adopt(ahead);
                    assertThat(found(store, new Defs())).as("seed %d, read ahead up to %d of [%d, %d)", seed, limit, start, end)
                        .isEqualTo(whole);
                }
            }
        }
    }

    @Test
    void aLogThatNoLongerHoldsWhatWasReadIsReadWhole() throws Exception {
        write(7, 300);
        List<String> whole;
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            whole = found(store, new Defs());
        }
        Prereplay ahead;
        long cut;
        try (DurableLog log = DurableLog.open(dir, LogConfig.defaults())) {
            ahead = Prereplay.read(log, Long.MAX_VALUE, () -> false);
            // the log then loses its last records (as a backup's unconfirmed tail is cut)
            try (var reader = log.reader(log.startPosition())) {
                long p = -1;
                io.warren.store.log.LogRecord r;
                while ((r = reader.next()) != null) {
                    p = r.position();
                    r.release();
                }
                cut = p;
            }
            assertThat(log.truncations()).isEqualTo(ahead.truncations());
            log.truncate(cut).get(10, TimeUnit.SECONDS);
            assertThat(log.truncations()).isGreaterThan(ahead.truncations());
        }
        List<String> afterCut;
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            afterCut = found(store, new Defs());
        }
        try (MessageStore store = MessageStore.open(dir, LogConfig.defaults())) {
            store.adopt(ahead); // ends beyond the log now: not used
            assertThat(found(store, new Defs())).isEqualTo(afterCut);
        }
        assertThat(whole).isNotEmpty();
    }

    @Test
    void cancelledReadingReturnsNothing() throws Exception {
        write(8, 3000);
        try (DurableLog log = DurableLog.open(dir, LogConfig.defaults())) {
            assertThat(Prereplay.read(log, Long.MAX_VALUE, () -> true)).isNull();
            Prereplay all = Prereplay.read(log, Long.MAX_VALUE, () -> false);
            assertThat(all.records()).isGreaterThan(1024);
            assertThat(all.end()).isEqualTo(log.endPosition());
            all.close();
        }
    }
}
