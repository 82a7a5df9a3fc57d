package io.warren.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;

/**
 * One run of the fault suite: a fresh pair behind HAProxy, the workload, a fault in the middle, then the checker
 * (lost = confirmed - consumed must be empty), with duplicates, the longest confirm gap and any moment two nodes
 * answered 200 printed as the scenario's report.
 */
final class FaultScenario {

    interface Fault {
        void inject(LocalPair pair) throws Exception;
    }

    /** A fault that also sees the workload (to time a failover from its kill). */
    interface TimedFault {
        void inject(LocalPair pair, Workload work) throws Exception;
    }

    private FaultScenario() {
    }

    /** No bound on the longest confirm gap (the fault makes the pair unavailable for a while). */
    static final long UNBOUNDED = Long.MAX_VALUE;

    /** On a fresh pair in {@code dir}; {@code maxGapMillis} as below. */
    static void run(String name, Path dir, long maxGapMillis, Fault fault) throws Exception {
        try (LocalPair pair = LocalPair.start(dir)) {
            run(name, pair, "fault.q", maxGapMillis, fault);
        }
    }

    /** On a running pair, with its own queue. */
    static void run(String name, LocalPair pair, String queue, Fault fault) throws Exception {
        run(name, pair, queue, UNBOUNDED, fault);
    }

    /**
     * On a running pair, with its own queue; {@code maxGapMillis} bounds the longest time without a confirm (how long
     * the fault may keep publishers waiting).
     */
    static void run(String name, LocalPair pair, String queue, long maxGapMillis, Fault fault) throws Exception {
        run(name, pair, queue, maxGapMillis, (TimedFault) (p, w) -> fault.inject(p));
    }

    static void run(String name, LocalPair pair, String queue, long maxGapMillis, TimedFault fault) throws Exception {
        AtomicLong bothPrimary = new AtomicLong();
        Thread monitor = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (pair.primaryStatus("a") == 200 && pair.primaryStatus("b") == 200) {
                    bothPrimary.incrementAndGet();
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fault-monitor");
        monitor.setDaemon(true);
        monitor.start();
        try (Workload work = new Workload(LocalPair.BASE, 2, queue)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> work.confirmedCount() >= 1000);
            fault.inject(pair, work);
            int atFault = work.confirmedCount();
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> work.confirmedCount() >= atFault + 1000);
            work.stopPublishing();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> work.lost().isEmpty());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // reported and failed below, with the figures
            }
            System.out.printf("fault suite [%s]: confirmed %d, lost %d, duplicates %d, republished %d, "
                    + "longest confirm gap %d ms, moments with two nodes answering 200: %d%n", name,
                work.confirmedCount(), work.lost().size(), work.duplicates(), work.republished(),
                work.longestConfirmGapMillis(), bothPrimary.get());
            assertThat(work.lost()).as("confirmed but never consumed").isEmpty();
            assertThat(bothPrimary.get()).as("moments with two nodes answering 200").isZero();
            assertThat(work.longestConfirmGapMillis()).as("longest time without a confirm, ms").isLessThanOrEqualTo(maxGapMillis);
        } finally {
            monitor.interrupt();
        }
    }

    static void sleep(long millis) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(millis);
    }
}
