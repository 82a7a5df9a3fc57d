package io.warren.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {

    private static final String WRITER = "test-log-writer";

    @TempDir
    Path dir;

    /** One callback invocation, as the writer saw it. */
    private record Call(long position, String thread, long durableThen, boolean synced) {
    }

    private static SyncCallback recorder(DurableLog log, long position, ConcurrentLinkedQueue<Call> calls) {
        return new SyncCallback() {
            @Override
            public void synced() {
                calls.add(new Call(position, Thread.currentThread().getName(), log.durablePosition(), true));
            }

            @Override
            public void failed(Throwable cause) {
                calls.add(new Call(position, Thread.currentThread().getName(), log.durablePosition(), false));
            }
        };
    }

    private static List<Thread> appenders(int threads, int perThread, DurableLog log, ConcurrentLinkedQueue<Call> calls,
                                          Map<String, List<Long>> positionsByThread) {
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "appender-" + t;
            Thread thread = new Thread(() -> {
                List<Long> mine = new ArrayList<>();
                ByteBuf body = Unpooled.directBuffer(100).writeZero(100);
                for (int i = 0; i < perThread; i++) {
                    long p = log.append(1, 1, body);
                    mine.add(p);
                    log.durable(p, recorder(log, p, calls));
                }
                body.release();
                positionsByThread.put(Thread.currentThread().getName(), mine);
            }, name);
            thread.start();
            started.add(thread);
        }
        return started;
    }

    @Test
    void manyAppendersEachGetEveryCallbackOnceInTheirOrder() throws Exception {
        int threads = 8;
        int perThread = 2000;
        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        Map<String, List<Long>> mine = new ConcurrentHashMap<>();
        try (DurableLog log = DurableLog.open(dir, LogFiles.smallSegments(64 * 1024))) {
            for (Thread t : appenders(threads, perThread, log, calls, mine)) {
                t.join();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> calls.size() == threads * perThread);
            List<Call> all = new ArrayList<>(calls);
            assertThat(all).allSatisfy(c -> {
                assertThat(c.synced()).isTrue();
                assertThat(c.thread()).isEqualTo(WRITER);
                assertThat(c.durableThen()).isGreaterThan(c.position());
            });
            Set<Long> distinct = ConcurrentHashMap.newKeySet();
            all.forEach(c -> distinct.add(c.position()));
            assertThat(distinct).hasSize(threads * perThread);
            // Each appender's callbacks come in the order of its positions.
            Map<Long, Integer> order = new java.util.HashMap<>();
            for (int i = 0; i < all.size(); i++) {
                order.put(all.get(i).position(), i);
            }
            for (List<Long> positions : mine.values()) {
                assertThat(positions).isSorted();
                assertThat(positions.stream().map(order::get).toList()).isSorted();
            }
            System.out.printf("group commit: %d appends from %d threads took %d fsyncs%n",
                threads * perThread, threads, log.syncCount());
            assertThat(log.syncCount()).isLessThan(threads * perThread);
            LogFiles.readAll(log); // and the segments are readable end to end
        }
    }

    @Test
    void appendsArrivingDuringAnFsyncShareTheNextOne() throws Exception {
        CountDownLatch inFirstForce = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Set<String> forcingThreads = ConcurrentHashMap.newKeySet();
        AtomicInteger forces = new AtomicInteger();
        FaultHook hook = new FaultHook() {
            @Override
            public void beforeForce(Path segment) throws IOException {
                forcingThreads.add(Thread.currentThread().getName());
                if (forces.incrementAndGet() == 1) {
                    inFirstForce.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
            }
        };
        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        try (DurableLog log = DurableLog.open(dir, LogConfig.defaults().withWriterThreadName(WRITER), hook)) {
            long first = log.append(1, 1, Unpooled.wrappedBuffer(new byte[10]));
            log.durable(first, recorder(log, first, calls));
            assertThat(inFirstForce.await(10, TimeUnit.SECONDS)).isTrue();

            int threads = 8;
            int perThread = 500;
            for (Thread t : appenders(threads, perThread, log, calls, new ConcurrentHashMap<>())) {
                t.join(); // appends never wait for the disk, so all of them finish during the first fsync
            }
            assertThat(calls).isEmpty();
            assertThat(log.durablePosition()).isZero();
            release.countDown();

            await().atMost(Duration.ofSeconds(30)).until(() -> calls.size() == 1 + threads * perThread);
            assertThat(log.syncCount()).isEqualTo(2);
            assertThat(forcingThreads).containsExactly(WRITER);
            // All were waiting before their batch became durable: called back in global position order.
            assertThat(calls.stream().map(Call::position).toList()).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void aCallbackForAnAlreadyDurableRecordStillRunsOnTheWriter() throws Exception {
        try (DurableLog log = DurableLog.open(dir, LogFiles.smallSegments(4096))) {
            long p = log.append(1, 1, Unpooled.wrappedBuffer(new byte[10]));
            log.syncedTo(p).get(10, TimeUnit.SECONDS);
            ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
            log.durable(p, recorder(log, p, calls));
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() == 1);
            assertThat(calls.peek().thread()).isEqualTo(WRITER);
            assertThat(log.syncCount()).isEqualTo(1);
        }
    }
}
