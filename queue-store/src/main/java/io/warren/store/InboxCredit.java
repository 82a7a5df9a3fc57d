package io.warren.store;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a queue's publishers are ahead of the queue: units enqueued and not yet taken in by one of the queue's
 * turns (one per message plus one per 4 KiB of body, so that a thousand 1 MB messages weigh as much as a quarter
 * million small ones), and who waits for that backlog to fall. A publishing connection that finds it {@link #over}
 * stops reading from its socket and asks {@link #whenBelow} to be told when it is back under half the bound: the
 * credit flow that keeps a fast publisher from running ahead of its queues without bound.
 *
 * <p>The queue also withholds its credit while its consumers fall behind ({@link ConsumerPace}): then it is over
 * whatever its inbox, until the queue gives the credit back or its consumers stop showing that they take anything
 * ({@link ConsumerLiveness}: consumers that stopped taking must not hold publishers forever; a paused publisher
 * re-checks {@link #over} on a timer for that case).
 *
 * <p>Posting and waiting: any thread. Taking and waking: the queue's executor.
 */
public final class InboxCredit {

    /** The backlog above which publishers pause: a few milliseconds of a busy queue's work. */
    public static final long HIGH = 8192;
    /** Publishers resume when the backlog is down to this. */
    public static final long LOW = HIGH / 2;

    private final AtomicLong posted = new AtomicLong();
    /** Written only by the queue's executor, whose turns happen one after another. */
    private volatile long taken;
    private final Queue<Runnable> waiters = new ConcurrentLinkedQueue<>();
    private volatile boolean waited;
    /** True while the queue withholds credit for its consumers' sake, as long as they are {@link #liveness alive}. */
    private volatile boolean pacing;
    private final ConsumerLiveness liveness = new ConsumerLiveness();

    /** The weight of a message in the backlog. */
    static long units(Message message) {
        return 1 + (message.bodySize() >> 12);
    }

    void posted(Message message) {
        posted.getAndAdd(units(message));
    }

    /** Units not yet taken in by the queue. */
    public long backlog() {
        return posted.get() - taken;
    }

    /** True when a publisher should stop feeding this queue for now. */
    public boolean over() {
        return backlog() > HIGH || paced();
    }

    /** True when the inbox itself is over its bound, whatever the consumers. */
    public boolean full() {
        return backlog() > HIGH;
    }

    /** True while the queue withholds credit because its consumers are behind. */
    public boolean paced() {
        return pacing && liveness.alive(System.nanoTime());
    }

    ConsumerLiveness liveness() {
        return liveness;
    }

    private boolean below() {
        return backlog() <= LOW && !paced();
    }

    /** Withholds credit while the consumers are alive, or gives it back; on the executor. */
    void pace(boolean withhold) {
        pacing = withhold;
        if (!withhold && waited && below()) {
            wakeAll();
        }
    }

    /**
     * Runs {@code wake} once the backlog is at most {@link #LOW}: at once, on the caller's thread, if it already is;
     * otherwise on the queue's executor, so it must only hand work off.
     */
    public void whenBelow(Runnable wake) {
        waiters.add(wake);
        waited = true;
        if (below()) {
            wakeAll();
        }
    }

    /** The queue took in {@code units} of enqueued messages; on the executor. */
    void took(long units) {
        if (units != 0) {
            taken = taken + units;
        }
        if (waited && below()) {
            wakeAll();
        }
    }

    private void wakeAll() {
        waited = false;
        Runnable r;
        while ((r = waiters.poll()) != null) {
            r.run();
        }
    }
}
