package io.warren.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.warren.store.log.DurableLog;
import io.warren.store.log.LogConfig;
import io.warren.store.log.LogReader;
import io.warren.store.log.LogRecord;
import io.warren.store.log.SyncCallback;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Primary -> backup streaming over loopback TCP, with the in-sync set committed through a test membership. */
class ReplicationIT {

    private static final LogConfig CONFIG = LogConfig.defaults().withMaxSegmentBytes(64 * 1024)
        .withWriterThreadName("test-log-writer");
    private static final MirrorSettings A = new MirrorSettings("pair1", "a", 50, 1000, 50, 1 << 20, 500);
    private static final MirrorSettings B = new MirrorSettings("pair1", "b", 50, 1000, 50, 1 << 20, 500);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    /** Commits every change at once while reachable, like a control plane with a majority; fails otherwise. */
    static final class TestMembership implements Membership {
        final List<Set<String>> committed = new CopyOnWriteArrayList<>();
        volatile boolean reachable = true;

        @Override
        public CompletableFuture<Void> commitInSync(int epoch, Set<String> nodes) {
            if (!reachable) {
                return CompletableFuture.failedFuture(new IOException("no majority"));
            }
            committed.add(nodes);
            return CompletableFuture.completedFuture(null);
        }

        Set<String> current() {
            return committed.isEmpty() ? Set.of("a") : committed.get(committed.size() - 1);
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    private DurableLog primaryLog() throws IOException {
        return track(DurableLog.open(Files.createDirectories(dir.resolve("a")), CONFIG));
    }

    private ReplicationServer serve(DurableLog log, TestMembership membership, int epoch) throws IOException {
        InSyncTracker tracker = track(new InSyncTracker(A, log, membership, epoch, "b", false));
        return track(new ReplicationServer(A, log, epoch, tracker, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    }

    private Follower follow(MirrorSettings settings, ReplicationServer server) throws IOException {
        Path b = Files.createDirectories(dir.resolve("b-" + settings.pair() + "-" + settings.node()));
        return track(new Follower(settings, b, CONFIG, server::address));
    }

    private static long append(DurableLog log, int epoch, String text) {
        return log.append(1, epoch, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private static List<String> records(DurableLog log) throws IOException {
        List<String> out = new ArrayList<>();
        try (LogReader reader = log.reader(log.startPosition())) {
            LogRecord r;
            while ((r = reader.next()) != null) {
                out.add(r.position() + ":" + r.epoch() + ":" + new String(ByteBufUtil.getBytes(r.payload()), StandardCharsets.UTF_8));
                r.release();
            }
        }
        return out;
    }

    @Test
    void anInSyncBackupHasEveryRecordBeforeItIsConfirmed() throws Exception {
        DurableLog log = primaryLog();
        append(log, 1, "before the backup");
        TestMembership membership = new TestMembership();
        ReplicationServer server = serve(log, membership, 1);
        Follower backup = follow(B, server);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.tracker().state() == InSyncTracker.State.IN);
        assertThat(membership.current()).containsExactlyInAnyOrder("a", "b");

        AtomicInteger early = new AtomicInteger();
        AtomicInteger confirmed = new AtomicInteger();
        int n = 2000;
        for (int i = 0; i < n; i++) {
            long at = append(log, 1, "message " + i);
            log.durable(at, new SyncCallback() {
                @Override
                public void synced() {
                    if (backup.log().durablePosition() <= at) {
                        early.incrementAndGet();
                    }
                    confirmed.incrementAndGet();
                }

                @Override
                public void failed(Throwable cause) {
                }
            });
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> confirmed.get() == n);
        assertThat(early).hasValue(0);
        assertThat(records(backup.log())).isEqualTo(records(log));
    }

    @Test
    void aDeadBackupIsDroppedByCommitThenRejoinsAfterCatchingUp() throws Exception {
        DurableLog log = primaryLog();
        TestMembership membership = new TestMembership();
        ReplicationServer server = serve(log, membership, 1);
        Follower backup = follow(B, server);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.tracker().state() == InSyncTracker.State.IN);
        backup.close();

        CompletableFuture<Void> waiting = log.syncedTo(append(log, 1, "while the backup is gone"));
        Thread.sleep(200);
        assertThat(waiting).isNotDone(); // still in sync: the primary may not confirm alone yet
        waiting.get(10, TimeUnit.SECONDS); // ...until the control plane commits {a}
        assertThat(membership.current()).containsExactly("a");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.tracker().state() == InSyncTracker.State.OUT);

        for (int i = 0; i < 500; i++) {
            append(log, 1, "more " + i);
        }
        Follower again = track(new Follower(B, dir.resolve("b-pair1-b"), CONFIG, server::address));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.tracker().state() == InSyncTracker.State.IN);
        log.syncedTo(append(log, 1, "after rejoining")).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> again.log().durablePosition() == log.durablePosition());
        assertThat(records(again.log())).isEqualTo(records(log));
    }

    @Test
    void aPrimaryThatCannotCommitTheShrinkNeverConfirmsAlone() throws Exception {
        DurableLog log = primaryLog();
        TestMembership membership = new TestMembership();
        ReplicationServer server = serve(log, membership, 1);
        Follower backup = follow(B, server);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.tracker().state() == InSyncTracker.State.IN);
        membership.reachable = false; // cut off from the majority
        backup.close();
        CompletableFuture<Void> waiting = log.syncedTo(append(log, 1, "cut off"));
        Thread.sleep(1500); // three lag timeouts
        assertThat(waiting).isNotDone();
        assertThat(server.tracker().state()).isEqualTo(InSyncTracker.State.LEAVING);
        membership.reachable = true;
        waiting.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReturningNodeCutsTheTailItAloneHadAndFollowsTheNewEpoch() throws Exception {
        // The returning node was primary of epoch 1 and wrote records nobody else has.
        Path old = Files.createDirectories(dir.resolve("b-pair1-b"));
        DurableLog log = primaryLog();
        try (DurableLog oldLog = DurableLog.open(old, CONFIG)) {
            for (int i = 0; i < 10; i++) {
                String text = "common " + i;
                oldLog.syncedTo(append(oldLog, 1, text)).get();
                log.syncedTo(append(log, 1, text)).get();
            }
            for (int i = 0; i < 5; i++) {
                oldLog.syncedTo(append(oldLog, 1, "never confirmed " + i)).get();
            }
        }
        for (int i = 0; i < 7; i++) {
            append(log, 2, "epoch 2: " + i);
        }
        TestMembership membership = new TestMembership();
        ReplicationServer server = serve(log, membership, 2);
        Follower backup = follow(B, server);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.tracker().state() == InSyncTracker.State.IN);
        await().atMost(Duration.ofSeconds(10)).until(() -> backup.log().durablePosition() == log.durablePosition());
        assertThat(records(backup.log())).isEqualTo(records(log)).noneMatch(r -> r.contains("never confirmed"));
        assertThat(backup.log().epochHistory()).isEqualTo(log.epochHistory());
    }

    @Test
    void aBackupBehindTheDeletedSegmentsTakesAFullCopy() throws Exception {
        DurableLog log = primaryLog();
        Path b = Files.createDirectories(dir.resolve("b-pair1-b"));
        try (DurableLog stale = DurableLog.open(b, CONFIG)) {
            stale.syncedTo(append(stale, 1, "first")).get();
        }
        append(log, 1, "first");
        for (int i = 0; i < 3000; i++) {
            append(log, 1, "filler record number " + i + " ".repeat(40));
        }
        log.syncedTo(log.endPosition() - 1).get();
        assertThat(log.deleteSegmentsBefore(log.endPosition()).get()).isPositive();
        assertThat(log.startPosition()).isPositive();
        TestMembership membership = new TestMembership();
        ReplicationServer server = serve(log, membership, 1);
        Follower backup = track(new Follower(B, b, CONFIG, server::address));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.tracker().state() == InSyncTracker.State.IN);
        await().atMost(Duration.ofSeconds(10)).until(() -> backup.log().durablePosition() == log.durablePosition());
        assertThat(backup.log().startPosition()).isEqualTo(log.startPosition());
        assertThat(records(backup.log())).isEqualTo(records(log));
    }

    @Test
    void theBackupDeletesTheSegmentsThePrimaryDeleted() throws Exception {
        DurableLog log = primaryLog();
        TestMembership membership = new TestMembership();
        ReplicationServer server = serve(log, membership, 1);
        Follower backup = follow(B, server);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.tracker().state() == InSyncTracker.State.IN);
        for (int i = 0; i < 3000; i++) {
            append(log, 1, "filler record number " + i + " ".repeat(40));
        }
        log.syncedTo(log.endPosition() - 1).get();
        await().atMost(Duration.ofSeconds(10)).until(() -> backup.log().durablePosition() == log.durablePosition());
        long before = backup.log().segmentBases().size();
        assertThat(before).isGreaterThan(2);
        assertThat(backup.log().startPosition()).isZero();

        long cut = log.segmentBases().get(2);
        assertThat(log.deleteSegmentsBefore(cut).get()).isEqualTo(2);
        append(log, 1, "after the deletion");
        await().atMost(Duration.ofSeconds(10)).until(() -> backup.log().startPosition() == cut);
        assertThat(backup.log().segmentBases()).hasSize((int) before - 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> backup.log().durablePosition() == log.durablePosition());
        assertThat(records(backup.log())).isEqualTo(records(log));
    }

    @Test
    void aNodeOfAnotherPairOrWithThePrimarysIdIsRefused() throws Exception {
        DurableLog log = primaryLog();
        ReplicationServer server = serve(log, new TestMembership(), 1);
        Follower stranger = follow(new MirrorSettings("pair2", "b", 50, 1000, 50, 1 << 20, 500), server);
        Follower twin = follow(new MirrorSettings("pair1", "a", 50, 1000, 50, 1 << 20, 500), server);
        await().atMost(Duration.ofSeconds(10)).until(() -> stranger.refusal() != null && twin.refusal() != null);
        assertThat(stranger.refusal()).contains("belongs to pair 'pair2'");
        assertThat(twin.refusal()).contains("two nodes have one id");
        assertThat(server.tracker().state()).isEqualTo(InSyncTracker.State.OUT);
    }
}
