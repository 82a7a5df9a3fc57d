package io.warren.store.log;

import static io.warren.store.log.LogFiles.Expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log's side of mirroring: the replica gate, shipped appends, epoch history, reset for a full copy. */
class ReplicaLogTest {

    private static final LogConfig CONFIG = LogFiles.smallSegments(1024);

    @TempDir
    Path dir;

    private Path sub(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    @Test
    void withAReplicaRequiredARecordIsConfirmedOnlyOnceTheReplicaHasItToo() throws Exception {
        try (DurableLog log = DurableLog.open(sub("p"), CONFIG)) {
            long first = log.append(1, 1, Unpooled.wrappedBuffer(new byte[10]));
            log.syncedTo(first).get(5, TimeUnit.SECONDS);
            log.requireReplica(log.endPosition());

            long second = log.append(1, 1, Unpooled.wrappedBuffer(new byte[10]));
            long third = log.append(1, 1, Unpooled.wrappedBuffer(new byte[10]));
            CompletableFuture<Void> secondDone = log.syncedTo(second);
            CompletableFuture<Void> thirdDone = log.syncedTo(third);
            org.awaitility.Awaitility.await().until(() -> log.durablePosition() == log.endPosition());
            Thread.sleep(100);
            assertThat(secondDone).isNotDone();
            assertThat(log.confirmedPosition()).isEqualTo(third - (third - second));

            log.replicaDurable(third); // covers the second record only
            secondDone.get(5, TimeUnit.SECONDS);
            assertThat(thirdDone).isNotDone();

            log.releaseReplica(); // the replica left the in-sync set: local durability is enough again
            thirdDone.get(5, TimeUnit.SECONDS);
            assertThat(log.confirmedPosition()).isEqualTo(log.endPosition());
        }
    }

    @Test
    void shippedRecordsLandAtTheSamePositionsWithTheSameBytes() throws Exception {
        try (DurableLog primary = DurableLog.open(sub("p"), CONFIG);
             DurableLog backup = DurableLog.open(sub("b"), LogFiles.smallSegments(4096))) {
            Random random = new Random(5);
            List<Expected> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) { // epochs only grow in a log that is shipped
                byte[] payload = LogFiles.randomBytes(random, random.nextInt(301));
                int type = 1 + random.nextInt(255);
                long at = primary.append(type, 1 + i / 50, Unpooled.wrappedBuffer(payload));
                sent.add(new Expected(at, type, 1 + i / 50, payload));
            }
            ship(primary, backup, 0);
            backup.syncedTo(backup.endPosition() - 1).get(5, TimeUnit.SECONDS);
            assertThat(backup.endPosition()).isEqualTo(primary.endPosition());
            LogFiles.assertSameRecords(LogFiles.readAll(backup), sent);
        }
        try (DurableLog backup = DurableLog.open(dir.resolve("b"), CONFIG)) {
            assertThat(LogFiles.readAll(backup)).hasSize(200);
        }
    }

    @Test
    void aShippedRecordOutOfPlaceDamagedOrOfAnOlderEpochIsRefused() throws Exception {
        try (DurableLog backup = DurableLog.open(sub("b"), CONFIG)) {
            LogRecord good = record(0, 7, 5, "hello");
            assertThatThrownBy(() -> backup.appendReplica(16, 1, 0, 5, good.checksum(), good.payload().duplicate()))
                .hasMessageContaining("log ends at 0");
            assertThatThrownBy(() -> backup.appendReplica(0, 1, 0, 5, good.checksum() ^ 1, good.payload().duplicate()))
                .hasMessageContaining("checksum");
            long at = backup.appendReplica(0, 1, 0, 5, good.checksum(), good.payload().duplicate());
            assertThat(at).isZero();
            LogRecord old = record(0, 7, 4, "older");
            assertThatThrownBy(() -> backup.appendReplica(backup.endPosition(), 1, 0, 4, old.checksum(), old.payload()))
                .hasMessageContaining("older epochs are refused");
            assertThat(backup.endPosition()).isEqualTo(16 + 5);
        }
    }

    private static LogRecord record(long position, int type, int epoch, String text) {
        return new LogRecord(position, 1, 0, epoch, Unpooled.copiedBuffer(text, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theWrittenListenerHearsOfABatchBeforeItsFsync() throws Exception {
        CountDownLatch inForce = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FaultHook hook = new FaultHook() {
            @Override
            public void beforeForce(Path segment) {
                inForce.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        AtomicLong heard = new AtomicLong(-1);
        try (DurableLog log = DurableLog.open(sub("p"), CONFIG, hook)) {
            log.onWritten(heard::set);
            long at = log.append(1, 1, Unpooled.wrappedBuffer(new byte[100]));
            assertThat(inForce.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(heard.get()).isEqualTo(at + 116);
            assertThat(log.durablePosition()).isZero();
            try (LogReader reader = log.reader(0)) { // shipping reads what is written, fsynced or not
                LogRecord r = reader.next();
                assertThat(r.position()).isEqualTo(at);
                r.release();
            }
            release.countDown();
            log.syncedTo(at).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theEpochHistoryFollowsAppendsTruncationAndReopening() throws Exception {
        Path p = sub("p");
        try (DurableLog log = DurableLog.open(p, CONFIG)) {
            for (int epoch : new int[] {1, 1, 1, 2, 2, 4, 4, 4}) {
                log.append(1, epoch, Unpooled.wrappedBuffer(new byte[100]));
            }
            log.syncedTo(log.endPosition() - 1).get(5, TimeUnit.SECONDS);
            assertThat(log.epochHistory()).containsExactly(new EpochHistory.Entry(1, 0),
                new EpochHistory.Entry(2, 3 * 116), new EpochHistory.Entry(4, 5 * 116));
        }
        try (DurableLog log = DurableLog.open(p, CONFIG)) {
            assertThat(log.epochHistory()).containsExactly(new EpochHistory.Entry(1, 0),
                new EpochHistory.Entry(2, 3 * 116), new EpochHistory.Entry(4, 5 * 116));
            List<EpochHistory.Entry> h = log.epochHistory();
            assertThat(EpochHistory.endOf(h, 1, log.endPosition())).isEqualTo(3 * 116);
            assertThat(EpochHistory.endOf(h, 3, log.endPosition())).isEqualTo(5 * 116);
            assertThat(EpochHistory.endOf(h, 4, log.endPosition())).isEqualTo(log.endPosition());
            log.truncate(5 * 116).get(5, TimeUnit.SECONDS);
            assertThat(log.epochHistory()).containsExactly(new EpochHistory.Entry(1, 0), new EpochHistory.Entry(2, 3 * 116));
        }
    }

    @Test
    void aDivergedBackupCutsWhereItsLastEpochEndsOnThePrimaryAndCatchesUp() throws Exception {
        try (DurableLog primary = DurableLog.open(sub("p"), CONFIG);
             DurableLog backup = DurableLog.open(sub("b"), CONFIG)) {
            List<Expected> common = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                common.add(appendExpected(primary, 1, "common " + i));
            }
            ship(primary, backup, 0);
            // The old primary (here: the backup's log) appended more in epoch 1 that never reached the other...
            for (int i = 0; i < 5; i++) {
                backup.append(1, 1, Unpooled.copiedBuffer("lost " + i, java.nio.charset.StandardCharsets.UTF_8));
            }
            // ...while the new primary began epoch 2 at the same position.
            List<Expected> later = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                later.add(appendExpected(primary, 2, "epoch 2 record " + i));
            }
            int lastEpoch = backup.epochHistory().get(backup.epochHistory().size() - 1).epoch();
            long keep = Math.min(EpochHistory.endOf(primary.epochHistory(), lastEpoch, primary.endPosition()),
                backup.endPosition());
            backup.truncate(keep).get(5, TimeUnit.SECONDS);
            ship(primary, backup, keep);
            backup.syncedTo(backup.endPosition() - 1).get(5, TimeUnit.SECONDS);
            List<Expected> all = new ArrayList<>(common);
            all.addAll(later);
            LogFiles.assertSameRecords(LogFiles.readAll(backup), all);
            assertThat(backup.epochHistory()).isEqualTo(primary.epochHistory());
        }
    }

    @Test
    void aResetLogStartsWhereThePrimaryNowStarts() throws Exception {
        Path b = sub("b");
        try (DurableLog log = DurableLog.open(b, CONFIG)) {
            LogFiles.appendRandom(log, new Random(3), 30, 100);
        }
        DurableLog.resetAt(b, 123_456);
        try (DurableLog log = DurableLog.open(b, CONFIG)) {
            assertThat(log.startPosition()).isEqualTo(123_456);
            assertThat(log.endPosition()).isEqualTo(123_456);
            assertThat(log.epochHistory()).isEmpty();
            long at = log.append(1, 9, Unpooled.wrappedBuffer(new byte[3]));
            assertThat(at).isEqualTo(123_456);
            log.syncedTo(at).get(5, TimeUnit.SECONDS);
        }
        try (DurableLog log = DurableLog.open(b, CONFIG)) {
            assertThat(LogFiles.readAll(log)).extracting(Expected::position).containsExactly(123_456L);
            assertThatThrownBy(() -> DurableLog.resetAt(b, 0)).hasMessageContaining("already open");
        }
    }

    private static Expected appendExpected(DurableLog log, int epoch, String text) {
        byte[] payload = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long at = log.append(1, epoch, Unpooled.wrappedBuffer(payload));
        return new Expected(at, 1, epoch, payload);
    }

    /** Ships every written record of {@code from} after {@code position} into {@code to}. */
    private static void ship(DurableLog from, DurableLog to, long position) throws Exception {
        from.syncedTo(from.endPosition() - 1).get(5, TimeUnit.SECONDS);
        try (LogReader reader = from.reader(position)) {
            LogRecord r;
            while ((r = reader.next()) != null) {
                try {
                    to.appendReplica(r.position(), r.type(), r.flags(), r.epoch(), r.checksum(), r.payload());
                } finally {
                    r.release();
                }
            }
        }
    }
}
