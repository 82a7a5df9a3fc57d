package io.warren.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFailureTest {

    @TempDir
    Path dir;

    /** Fails writes or fsyncs once armed; a failing fsync first waits for {@link #release}. */
    private static final class Disk implements FaultHook {
        final AtomicBoolean failWrites = new AtomicBoolean();
        final AtomicBoolean failForces = new AtomicBoolean();
        final CountDownLatch inForce = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void beforeWrite(Path segment) throws IOException {
            if (failWrites.get()) {
                throw new IOException("simulated EIO writing " + segment);
            }
        }

        @Override
        public void beforeForce(Path segment) throws IOException {
            if (failForces.get()) {
                inForce.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("simulated EIO in fsync of " + segment);
            }
        }
    }

    private static CompletableFuture<Void> append(DurableLog log, String body) {
        return log.syncedTo(log.append(1, 1, Unpooled.wrappedBuffer(body.getBytes())));
    }

    @Test
    void aFailedFsyncFailsItsBatchAndEveryLaterAppend() throws Exception {
        Disk disk = new Disk();
        try (DurableLog log = DurableLog.open(dir, LogConfig.defaults(), disk)) {
            CompletableFuture<Void> before = append(log, "safe");
            before.get(10, TimeUnit.SECONDS);
            long durable = log.durablePosition();

            disk.failForces.set(true);
            List<CompletableFuture<Void>> batch = new ArrayList<>();
            batch.add(append(log, "doomed in the failing fsync"));
            assertThat(disk.inForce.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 50; i++) {
                batch.add(append(log, "doomed, queued behind it " + i));
            }
            disk.release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> batch.stream().allMatch(CompletableFuture::isDone));
            assertThat(batch).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
            assertThatThrownBy(() -> batch.get(0).join()).hasCauseInstanceOf(LogFailedException.class)
                .hasRootCauseMessage("simulated EIO in fsync of " + LogFiles.segmentFiles(dir).get(0));
            assertThat(log.durablePosition()).isEqualTo(durable);
            assertThat(log.failure()).isNotNull();

            assertThatThrownBy(() -> log.append(1, 1, Unpooled.wrappedBuffer(new byte[1])))
                .isInstanceOf(LogFailedException.class);
            assertThat(log.syncedTo(0)).isCompleted().isNotCompletedExceptionally(); // that one did reach the disk
            assertThatThrownBy(() -> log.truncate(0)).isInstanceOf(LogFailedException.class);
        }
        // Reopening re-reads the disk, like after a crash: the log works again.
        try (DurableLog log = DurableLog.open(dir, LogConfig.defaults())) {
            append(log, "after reopen").get(10, TimeUnit.SECONDS);
            assertThat(LogFiles.readAll(log).get(0).payload()).isEqualTo("safe".getBytes());
        }
    }

    @Test
    void aFailedWriteIsNeverReportedDurable() throws Exception {
        Disk disk = new Disk();
        CountDownLatch failedCalls = new CountDownLatch(20);
        List<Throwable> causes = java.util.Collections.synchronizedList(new ArrayList<>());
        try (DurableLog log = DurableLog.open(dir, LogConfig.defaults(), disk)) {
            disk.failWrites.set(true);
            for (int i = 0; i < 20; i++) {
                try {
                    long p = log.append(1, 1, Unpooled.wrappedBuffer(new byte[1000]));
                    log.durable(p, new SyncCallback() {
                        @Override
                        public void synced() {
                            causes.add(new AssertionError("reported durable"));
                            failedCalls.countDown();
                        }

                        @Override
                        public void failed(Throwable cause) {
                            causes.add(cause);
                            failedCalls.countDown();
                        }
                    });
                } catch (LogFailedException alreadyFailed) {
                    failedCalls.countDown(); // appended after the failure: append itself threw
                }
            }
            assertThat(failedCalls.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(causes).isNotEmpty().allSatisfy(c -> assertThat(c).isInstanceOf(LogFailedException.class));
            assertThat(log.durablePosition()).isZero();
            assertThat(log.syncCount()).isZero();
        }
    }
}
