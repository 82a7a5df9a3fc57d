package io.warren.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void runsTasksInSubmissionOrderOnThePool() {
        SerialExecutor executor = new SerialExecutor(pool, "ordered");
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 10_000; i++) {
            int n = i;
            executor.execute(() -> seen.add(n));
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> seen.size() == 10_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.get(i)).isEqualTo(i);
        }
    }

    @Test
    void neverRunsTwoTasksAtOnceAndKeepsEachSubmittersOrder() throws Exception {
        SerialExecutor executor = new SerialExecutor(pool, "exclusive", 8, failures::add);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int[] lastSeen = new int[4]; // only touched inside tasks: the executor's confinement protects it
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        try {
            for (int s = 0; s < 4; s++) {
                int submitter = s;
                submitters.execute(() -> {
                    for (int i = 1; i <= 5_000; i++) {
                        int n = i;
                        executor.execute(() -> {
                            if (running.incrementAndGet() > 1) {
                                overlaps.incrementAndGet();
                            }
                            if (lastSeen[submitter] != n - 1) {
                                outOfOrder.incrementAndGet();
                            }
                            lastSeen[submitter] = n;
                            running.decrementAndGet();
                            done.incrementAndGet();
                        });
                    }
                });
            }
            await().atMost(20, TimeUnit.SECONDS).until(() -> done.get() == 20_000);
        } finally {
            submitters.shutdownNow();
        }
        assertThat(overlaps).hasValue(0);
        assertThat(outOfOrder).hasValue(0);
        assertThat(failures).isEmpty();
    }

    @Test
    void survivesATaskThatThrows() {
        SerialExecutor executor = new SerialExecutor(pool, "robust", 64, failures::add);
        CompletableFuture<String> after = new CompletableFuture<>();
        executor.execute(() -> {
            throw new IllegalStateException("boom");
        });
        executor.execute(() -> after.complete("ran"));

        assertThat(after).succeedsWithin(10, TimeUnit.SECONDS).isEqualTo("ran");
        assertThat(failures).singleElement().satisfies(t -> assertThat(t).hasMessage("boom"));
    }

    @Test
    void logsFailuresWhenNoHandlerIsGiven() {
        ManualExecutor manual = new ManualExecutor();
        SerialExecutor executor = new SerialExecutor(manual, "logging");
        List<String> ran = new ArrayList<>();
        executor.execute(() -> {
            throw new IllegalStateException("logged, not thrown");
        });
        executor.execute(() -> ran.add("next"));
        manual.runAll();
        assertThat(ran).containsExactly("next");
    }

    @Test
    void batchesTasksIntoOnePoolTaskButYieldsAfterTheBound() {
        ManualExecutor manual = new ManualExecutor();
        SerialExecutor executor = new SerialExecutor(manual, "batching", 3, failures::add);
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            int n = i;
            executor.execute(() -> ran.add(n));
        }
        assertThat(manual.pending()).isEqualTo(1);

        manual.runNext();
        assertThat(ran).containsExactly(0, 1, 2);
        assertThat(manual.pending()).isEqualTo(1); // gave the pool thread back, queued itself again
        manual.runNext();
        manual.runNext();
        assertThat(ran).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(manual.pending()).isZero();
    }

    @Test
    void holdsNoLockWhileATaskRuns() throws Exception {
        SerialExecutor executor = new SerialExecutor(pool, "unlocked", 64, failures::add);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> second = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // Another thread can still submit while the first task blocks.
        CompletableFuture<Void> submitted = CompletableFuture.runAsync(() -> executor.execute(() -> second.complete("ok")));
        assertThat(submitted).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(second).isNotDone();
        release.countDown();
        assertThat(second).succeedsWithin(10, TimeUnit.SECONDS).isEqualTo("ok");
    }

    @Test
    void knowsWhetherTheCallerIsItsTask() {
        SerialExecutor executor = new SerialExecutor(pool, "confined");
        CompletableFuture<Boolean> inside = new CompletableFuture<>();
        executor.execute(() -> inside.complete(executor.inExecutor()));
        assertThat(inside).succeedsWithin(10, TimeUnit.SECONDS).isEqualTo(true);
        assertThat(executor.inExecutor()).isFalse();
        assertThat(executor.name()).isEqualTo("confined");
        assertThat(executor).hasToString("SerialExecutor[confined]");
    }

    @Test
    void reportsARejectingPoolAndStaysUsable() {
        AtomicInteger accept = new AtomicInteger();
        ManualExecutor manual = new ManualExecutor();
        SerialExecutor executor = new SerialExecutor(task -> {
            if (accept.getAndIncrement() == 0) {
                throw new RejectedExecutionException("shutting down");
            }
            manual.execute(task);
        }, "rejected");
        List<String> ran = new ArrayList<>();
        assertThatThrownBy(() -> executor.execute(() -> ran.add("first")))
                .isInstanceOf(RejectedExecutionException.class);
        executor.execute(() -> ran.add("second"));
        manual.runAll();
        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void rejectsABadBound() {
        assertThatThrownBy(() -> new SerialExecutor(pool, "x", 0, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
