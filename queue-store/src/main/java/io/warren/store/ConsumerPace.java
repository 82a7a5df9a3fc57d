package io.warren.store;

/**
 * Publishers paced by a queue's consumers: while the queue has consumers that are taking messages and its ready
 * backlog is more than they take in {@link #TARGET_NANOS}, the queue withholds its credit ({@link InboxCredit#pace})
 * so that its publishers stop reading; it gives it back once the backlog is down to half of that. Without this, a
 * publisher faster than its consumers fills the queue until paging, and every message waits behind the backlog: with
 * 1 MB messages, a few hundred milliseconds.
 *
 * <p>The bound is measured, not configured: the consumers' take rate (units of {@link InboxCredit#units} per
 * nanosecond, averaged over windows of at least {@link #WINDOW_NANOS}) times the target, never below {@link #FLOOR}
 * units. A queue with no consumer, or whose consumers no longer show that they take anything ({@link
 * ConsumerLiveness}: a full prefetch and no acks, a stuck client), paces nobody: it takes messages up to its limits
 * and pages them, as without pacing.
 *
 * <p>Confined to the queue's executor.
 */
final class ConsumerPace {

    /** The ready backlog, in time of the consumers' take rate, that a queue lets its publishers build. */
    static final long TARGET_NANOS = 4_000_000;
    /**
     * The smallest bound, in units: enough for the consumers to keep taking while a paused publisher wakes up, reads
     * and enqueues again (a few hundred microseconds on a busy 2-core machine at small-message rates).
     */
    static final long FLOOR = 256;
    /** The take rate is measured over windows of at least this. */
    static final long WINDOW_NANOS = 2_000_000;

    /**
     * Messages that weigh this many units on average (bodies of 128 KiB and more) are paced by size, not time: the
     * bound is then {@link #FLOOR}, about one 1 MB message ready. At a thousand 1 MB messages a second, 4 ms of
     * backlog was four messages, each a millisecond of latency for the ones behind it, while the consumer's socket
     * needs only the next one at hand to stay busy.
     */
    static final long LARGE_WEIGHT = 32;

    private long windowStart;
    private long windowUnits;
    private long windowMessages;
    /** Units per message taken, smoothed over windows as the rate; 0 before the first window. */
    private double weight;
    /** Units per nanosecond, smoothed over windows; 0 before the first window. */
    private double rate;
    private boolean pacing;
    /** Whether the liveness holds consumers to forget once they are gone. */
    private boolean looked;

    /** A consumer took a message of this weight. */
    void took(Message message) {
        windowUnits += InboxCredit.units(message);
        windowMessages++;
    }

    /**
     * The ready backlog (in units) the consumers are allowed to fall behind by before publishers pause: what they take
     * in {@link #TARGET_NANOS}, or for large messages the floor.
     */
    long bound() {
        if (weight >= LARGE_WEIGHT) {
            return FLOOR;
        }
        return Math.max(FLOOR, (long) (rate * TARGET_NANOS));
    }

    /**
     * End of a queue turn: updates the take rate and withholds or gives back the queue's credit.
     *
     * @param consumers the queue's consumers; null when it is deleted
     * @param readyUnits the ready backlog in units ({@link InboxCredit#units} summed)
     */
    void endOfTurn(InboxCredit inbox, ConsumerRing consumers, long readyUnits) {
        ConsumerLiveness liveness = inbox.liveness();
        if (consumers == null || consumers.isEmpty()) {
            windowUnits = 0;
            windowMessages = 0;
            windowStart = 0;
            if (looked) {
                looked = false;
                liveness.forget();
            }
            if (pacing) {
                release(inbox);
            }
            return;
        }
        boolean tookNow = windowUnits > 0;
        if (!tookNow && !pacing && readyUnits <= FLOOR) {
            return; // idle or keeping up without a backlog: no clock read
        }
        long now = System.nanoTime();
        if (tookNow) {
            liveness.took(now);
        }
        if (windowStart == 0) {
            windowStart = now;
        } else if (now - windowStart >= WINDOW_NANOS) {
            double sample = (double) windowUnits / (now - windowStart);
            rate = rate == 0 ? sample : (rate + sample) / 2;
            if (windowMessages > 0) {
                double w = (double) windowUnits / windowMessages;
                weight = weight == 0 ? w : (weight + w) / 2;
            }
            windowStart = now;
            windowUnits = 0;
            windowMessages = 0;
        }
        long bound = bound();
        boolean behind = readyUnits > bound;
        if (behind) {
            // which consumers wait on their socket, so that their progress keeps the pace while the queue is idle
            liveness.look(consumers, now);
            looked = true;
        }
        if (!behind && !pacing) {
            return;
        }
        boolean alive = liveness.alive(now);
        if (behind && alive) {
            if (!pacing) {
                pacing = true;
                inbox.pace(true);
            }
        } else if (pacing && (readyUnits <= bound / 2 || !alive)) {
            release(inbox);
        }
    }

    private void release(InboxCredit inbox) {
        pacing = false;
        inbox.pace(false);
    }
}
