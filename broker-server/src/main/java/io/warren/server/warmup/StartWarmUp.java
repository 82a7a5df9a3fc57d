package io.warren.server.warmup;

import io.warren.server.Broker;
import io.warren.server.auth.PasswordHash;
import io.warren.server.auth.Permission;
import io.warren.server.auth.User;
import io.warren.server.config.BrokerConfig;
import io.warren.server.config.Policies;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cold start: a JVM that has just started runs the broker's code in the interpreter and compiles it as it gets hot,
 * which on two cores took the first client about ten seconds to reach the steady rate. Right after a single node
 * listens, this pushes messages (see {@link WarmUpTraffic}) through a scratch broker of its own - a fresh log in
 * DATA/warmup, AMQP on an ephemeral loopback port, no HTTP, one user with a random password - so that the same code
 * the real broker runs is compiled before or while the first clients arrive. It stops as soon as the JIT compiler
 * has settled (compilation time grew by less than a quarter of the wall time over two consecutive 250 ms windows,
 * after at least {@value #MIN_MILLIS} ms), or after the configured maximum; then closes the scratch broker and deletes
 * its folder. Nothing of it is visible through the real broker: another listener, log, registry and connections.
 *
 * <p>Threads: {@link #start} from the main thread; the work runs on the daemon thread "warren-warmup" (and the
 * scratch broker's own threads, all ended when it closes); {@link #run} on the calling thread (tests).
 */
public final class StartWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(StartWarmUp.class);
    static final String FOLDER = "warmup";
    private static final String USER = "warren-warm-up";
    static final long MIN_MILLIS = 1000;
    static final long REAL_TRAFFIC = 2_000;
    private static final long WINDOW_MILLIS = 250;
    private static final int QUIET_WINDOWS = 2;
    /** A broker that does not answer the warm-up client for this long fails the warm-up. */
    private static final int SOCKET_TIMEOUT_MILLIS = 10_000;

    /** What a warm-up did. */
    public record Outcome(long published, long delivered, long millis, boolean settled) {
    }

    private final Thread thread;

    private StartWarmUp(Thread thread) {
        this.thread = thread;
    }

    /**
     * Starts the warm-up in the background; {@link #stop} ends it early (the process is stopping).
     *
     * @param realPublishes the messages real clients have published to the real broker so far
     */
    public static StartWarmUp start(BrokerConfig config, long maxMillis, LongSupplier realPublishes) {
        Thread t = new Thread(() -> {
            try {
                run(config, maxMillis, realPublishes);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Warm-up failed (no harm done: the first clients will see the broker's cold start): {}",
                    e.toString());
            }
        }, "warren-warmup");
        t.setDaemon(true);
        t.start();
        return new StartWarmUp(t);
    }

    /** Interrupts the warm-up and waits up to {@code waitMillis} for it to clean up. */
    public void stop(long waitMillis) {
        thread.interrupt();
        try {
            thread.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs one warm-up on the calling thread: starts the scratch broker next to {@code config}'s data directory, pushes
     * traffic through it until the JIT settles, real clients have published enough, {@code maxMillis} pass or the
     * thread is interrupted; closes it and deletes its folder.
     */
    public static Outcome run(BrokerConfig config, long maxMillis, LongSupplier realPublishes) throws IOException {
        Path dir = config.dataDir().resolve(FOLDER);
        long t0 = System.nanoTime();
        delete(dir); // left by a process killed during its warm-up
        LOG.info("Warm-up: a scratch broker in {} on 127.0.0.1 compiles the message path for the first clients "
            + "(warren.warm-up); its log lines follow", dir.toAbsolutePath());
        String password = Base64.getEncoder().encodeToString(seed());
        Broker scratch = Broker.start(scratchConfig(config, dir, password));
        Thread watchdog = watchdog(scratch, maxMillis + SOCKET_TIMEOUT_MILLIS);
        try {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", scratch.port());
            StopCondition settled = new StopCondition(t0, maxMillis, realPublishes);
            WarmUpTraffic.Result r = WarmUpTraffic.run(address, USER, password, SOCKET_TIMEOUT_MILLIS, settled);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            LOG.info("Warm-up: {} messages published and {} delivered through a scratch broker in {} ms, ended as {}",
                r.published(), r.delivered(), millis, settled.why());
            return new Outcome(r.published(), r.delivered(), millis, settled.settled);
        } finally {
            watchdog.interrupt();
            // an interrupt (the node is stopping) must not cut the scratch broker's own close short: its store's file
            // channels would be closed by the interrupt, its pools not awaited
            boolean interrupted = Thread.interrupted();
            try {
                scratch.close();
                delete(dir);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The real broker's settings (limits, transport, threads) with its own folder, port, user and nothing else. */
    static BrokerConfig scratchConfig(BrokerConfig config, Path dir, String password) {
        BrokerConfig.AmqpListener amqp = config.amqp();
        BrokerConfig.Http http = config.http();
        return new BrokerConfig(new BrokerConfig.AmqpListener("127.0.0.1", 0, amqp.nativeTransport(), amqp.ioThreads(),
                amqp.receiveBuffer(), amqp.unsentLimit()),
            dir, config.server(), config.limits(), List.of(new User(USER, PasswordHash.of(password), List.of(), false)),
            List.of("/"), List.of(new Permission(USER, "/", ".*", ".*", ".*")), config.residency(), Policies.NONE,
            config.consumerTimeoutMillis(), new BrokerConfig.Http(false, http.bindAddress(), 0, http.maxBodyBytes(),
                http.metricsAuth(), ""), List.of());
    }

    /** Closes the scratch broker if the warm-up is still running well past its end (a publisher blocked on write). */
    private static Thread watchdog(Broker scratch, long afterMillis) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(afterMillis);
                LOG.warn("Warm-up still running after {} ms: closing its scratch broker", afterMillis);
                scratch.close();
            } catch (InterruptedException e) {
                // the warm-up ended in time
            }
        }, "warren-warmup-watchdog");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * The stop condition, asked by the publishing thread after every batch: the thread was interrupted, the maximum
     * time passed, real clients published {@value #REAL_TRAFFIC} messages, or the JIT compiler has settled (its total compilation time, summed over its threads, grew by less
     * than a quarter of the wall time in {@value #QUIET_WINDOWS} windows of {@value #WINDOW_MILLIS} ms in a row). A JVM
     * that does not report compilation time is warmed for {@value #MIN_MILLIS} ms.
     */
    private static final class StopCondition implements java.util.function.BooleanSupplier {
        private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        private final boolean measurable = jit != null && jit.isCompilationTimeMonitoringSupported();
        private final long start;
        private final long max;
        private final LongSupplier realPublishes;
        private final long realAtStart;
        private long windowStart;
        private long compiledAtWindowStart;
        private int quiet;
        private boolean settled;
        private boolean realTraffic;

        StopCondition(long startNanos, long maxMillis, LongSupplier realPublishes) {
            this.start = startNanos;
            this.max = maxMillis;
            this.realPublishes = realPublishes;
            this.realAtStart = realPublishes.getAsLong();
            this.windowStart = startNanos;
            this.compiledAtWindowStart = measurable ? jit.getTotalCompilationTime() : 0;
        }

        String why() {
            return settled ? "the JIT compiler settled" : realTraffic ? "real clients took over"
                : Thread.currentThread().isInterrupted() ? "the node is stopping" : "its maximum time";
        }

        @Override
        public boolean getAsBoolean() {
            long now = System.nanoTime();
            long elapsed = (now - start) / 1_000_000;
            if (Thread.currentThread().isInterrupted()) {
                return true;
            }
            boolean late = elapsed >= max;
            if (!late && now - windowStart < WINDOW_MILLIS * 1_000_000) {
                return false;
            }
            // asked before the end at the maximum, so that the log says when real clients had come by then
            if (realPublishes.getAsLong() - realAtStart >= REAL_TRAFFIC) {
                realTraffic = true;
                return true;
            }
            if (late) {
                return true;
            }
            if (!measurable) {
                settled = elapsed >= MIN_MILLIS;
                return settled;
            }
            long compiled = jit.getTotalCompilationTime();
            quiet = (compiled - compiledAtWindowStart) * 4 < (now - windowStart) / 1_000_000 ? quiet + 1 : 0;
            windowStart = now;
            compiledAtWindowStart = compiled;
            settled = quiet >= QUIET_WINDOWS && elapsed >= MIN_MILLIS;
            return settled;
        }
    }

    private static byte[] seed() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** Deletes {@code dir} and everything in it, if it exists. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
