package io.warren.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prints what appends and fsyncs cost on this machine; asserts nothing about speed (that is bench/'s job). */
class LogThroughputTest {

    private static final int RECORD = 1024;
    private static final long RUN_NANOS = 400_000_000L;

    @TempDir
    Path dir;

    private static void report(String what, long records, long syncs, long nanos) {
        double seconds = nanos / 1e9;
        System.out.printf("log throughput, %-34s %8.1f MB/s %9.0f records/s %7.0f fsyncs/s %7.1f records/fsync%n",
            what, records * (double) (RECORD + RecordFormat.HEADER_BYTES) / seconds / 1e6, records / seconds,
            syncs / seconds, records / (double) Math.max(1, syncs));
    }

    @Test
    void oneAppenderSyncingEveryN() throws Exception {
        ByteBuf body = Unpooled.directBuffer(RECORD).writeZero(RECORD);
        for (int every : new int[] {1, 16, 256}) {
            Path sub = Files.createDirectory(dir.resolve("every-" + every));
            try (DurableLog log = DurableLog.open(sub, LogConfig.defaults())) {
                long records = 0;
                long start = System.nanoTime();
                while (System.nanoTime() - start < RUN_NANOS) {
                    long last = 0;
                    for (int i = 0; i < every; i++) {
                        last = log.append(1, 1, body);
                    }
                    log.syncedTo(last).join();
                    records += every;
                }
                report("1 appender, sync every " + every + ":", records, log.syncCount(), System.nanoTime() - start);
                assertThat(log.durablePosition()).isEqualTo(records * (RECORD + RecordFormat.HEADER_BYTES));
            }
        }
        body.release();
    }

    @Test
    void manyPublishersEachWaitingForTheirOwnRecord() throws Exception {
        ByteBuf body = Unpooled.directBuffer(RECORD).writeZero(RECORD);
        int threads = 32;
        LongAdder records = new LongAdder();
        try (DurableLog log = DurableLog.open(dir, LogConfig.defaults())) {
            long start = System.nanoTime();
            List<Thread> publishers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread thread = new Thread(() -> {
                    while (System.nanoTime() - start < RUN_NANOS) {
                        log.syncedTo(log.append(1, 1, body)).join(); // like a publisher awaiting each confirm
                        records.increment();
                    }
                }, "publisher-" + t);
                thread.start();
                publishers.add(thread);
            }
            for (Thread thread : publishers) {
                thread.join();
            }
            report(threads + " publishers, each sync every 1:", records.sum(), log.syncCount(), System.nanoTime() - start);
            assertThat(log.syncCount()).isLessThan(records.sum());
        }
        body.release();
    }
}
