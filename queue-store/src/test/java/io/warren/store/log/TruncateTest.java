package io.warren.store.log;

import static io.warren.store.log.LogFiles.Expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TruncateTest {

    private static final LogConfig CONFIG = LogFiles.smallSegments(1024);

    @TempDir
    Path dir;

    @Test
    void truncatingDropsTheTailAndTheLogGoesOnFromThere() throws Exception {
        List<Expected> kept;
        try (DurableLog log = DurableLog.open(dir, CONFIG)) {
            List<Expected> all = LogFiles.appendRandom(log, new Random(21), 100, 100);
            int segmentsBefore = log.segmentBases().size();
            Expected cut = all.get(30);
            log.truncate(cut.position()).get(10, TimeUnit.SECONDS);

            kept = new ArrayList<>(all.subList(0, 30));
            assertThat(log.endPosition()).isEqualTo(cut.position());
            assertThat(log.durablePosition()).isEqualTo(cut.position());
            assertThat(log.segmentBases()).hasSizeLessThan(segmentsBefore)
                .allSatisfy(base -> assertThat(base).isLessThanOrEqualTo(cut.position()));
            assertThat(LogFiles.segmentFiles(dir)).hasSameSizeAs(log.segmentBases());
            assertThatThrownBy(() -> log.read(cut.position())).isInstanceOf(IllegalArgumentException.class);
            LogFiles.assertSameRecords(LogFiles.readAll(log), kept);

            List<Expected> more = LogFiles.appendRandom(log, new Random(22), 20, 100);
            assertThat(more.get(0).position()).isEqualTo(cut.position());
            kept.addAll(more);
        }
        try (DurableLog log = DurableLog.open(dir, CONFIG)) {
            LogFiles.assertSameRecords(LogFiles.readAll(log), kept);
            assertThat(log.recovery().skipped()).isEmpty();
        }
    }

    @Test
    void truncatingToTheStartEmptiesTheLog() throws Exception {
        try (DurableLog log = DurableLog.open(dir, CONFIG)) {
            LogFiles.appendRandom(log, new Random(23), 50, 100);
            log.truncate(0).get(10, TimeUnit.SECONDS);
            assertThat(log.endPosition()).isZero();
            assertThat(log.segmentBases()).containsExactly(0L);
            assertThat(LogFiles.readAll(log)).isEmpty();
        }
        try (DurableLog log = DurableLog.open(dir, CONFIG)) {
            assertThat(log.endPosition()).isZero();
        }
    }

    @Test
    void waitersForCutRecordsFailAndEarlierOnesSucceed() throws Exception {
        CountDownLatch inForce = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean hold = new AtomicBoolean();
        FaultHook hook = new FaultHook() {
            @Override
            public void beforeForce(Path segment) throws IOException {
                if (hold.get()) {
                    inForce.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
            }
        };
        try (DurableLog log = DurableLog.open(dir, CONFIG, hook)) {
            hold.set(true);
            List<Long> positions = new ArrayList<>();
            List<CompletableFuture<Void>> waits = new ArrayList<>();
            positions.add(log.append(1, 1, Unpooled.wrappedBuffer(new byte[30])));
            waits.add(log.syncedTo(positions.get(0)));
            assertThat(inForce.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i < 10; i++) {
                positions.add(log.append(1, 1, Unpooled.wrappedBuffer(new byte[30])));
                waits.add(log.syncedTo(positions.get(i)));
            }
            CompletableFuture<Void> truncated = log.truncate(positions.get(5));
            assertThatThrownBy(() -> log.append(1, 1, Unpooled.wrappedBuffer(new byte[1])))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("truncated");
            hold.set(false);
            release.countDown();
            truncated.get(10, TimeUnit.SECONDS);

            for (int i = 0; i < 10; i++) {
                if (i < 5) {
                    assertThat(waits.get(i)).isCompleted().isNotCompletedExceptionally();
                } else {
                    CompletableFuture<Void> w = waits.get(i);
                    assertThatThrownBy(w::join).isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(LogTruncatedException.class);
                }
            }
            assertThat(log.append(1, 1, Unpooled.wrappedBuffer(new byte[1]))).isEqualTo(positions.get(5));
        }
    }

    @Test
    void truncatingOutsideARecordBoundaryIsRefused() throws Exception {
        try (DurableLog log = DurableLog.open(dir, CONFIG)) {
            List<Expected> all = LogFiles.appendRandom(log, new Random(24), 20, 100);
            long end = log.endPosition();
            assertThatThrownBy(() -> log.truncate(all.get(3).position() + 1).join())
                .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("no record starts there");
            assertThatThrownBy(() -> log.truncate(end + 1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(log.endPosition()).isEqualTo(end);
            log.truncate(end).get(10, TimeUnit.SECONDS); // the end itself is a boundary: a no-op cut
            LogFiles.assertSameRecords(LogFiles.readAll(log), all);
            assertThat(log.append(1, 1, Unpooled.wrappedBuffer(new byte[1]))).isEqualTo(end);
        }
    }
}
