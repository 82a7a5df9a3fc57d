package io.warren.store;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Message expiry in one queue: each message's expiry there (its own {@code expiration}, or enqueue time plus the
 * queue's {@code x-message-ttl} if earlier), and one timer wakeup at the earliest expiry among the lane heads, so that
 * expired messages leave promptly even when nobody consumes. At most one timer task is pending per queue: a later
 * expiry than the one armed waits for that wakeup, which re-arms. Confined to the queue's executor.
 */
final class Expiry {

    private final long ttl;
    private final LongSupplier clock;
    private final QueueHooks hooks;
    private final Executor executor;
    /** The queue's wakeup, run on its executor. */
    private final Runnable wake;
    /** The expiry the pending timer task is set for; NEVER when none is pending. */
    private long armedFor = Message.NEVER;
    private ScheduledFuture<?> pending;
    /** Tells the pending task from one cancelled too late (already posted): only the former clears {@link #pending}. */
    private long generation;

    /**
     * @param clock the queue's time (read once per task, so that arrival and delivery agree)
     * @param wake runs on {@code executor} when the earliest armed expiry is due
     */
    Expiry(long ttl, LongSupplier clock, QueueHooks hooks, Executor executor, Runnable wake) {
        this.ttl = ttl;
        this.clock = clock;
        this.hooks = hooks;
        this.executor = executor;
        this.wake = wake;
    }

    long now() {
        return clock.getAsLong();
    }

    /**
     * A message enqueued now; reads the clock only when the queue has a TTL or the message an expiration. A message
     * already due when it reaches the queue (an expiration of 0, or a slow hand-off from the publisher) is due now
     * rather than in the past: it may still go to a consumer waiting this very millisecond, as in RabbitMQ, which
     * counts a message's TTL from its arrival in the queue.
     */
    long expiresAt(Message message) {
        long own = message.expiresAt();
        if (ttl < 0 && own == Message.NEVER) {
            return own;
        }
        long now = clock.getAsLong();
        long at = ttl < 0 ? own : Math.min(own, plus(now, ttl));
        return Math.max(at, now);
    }

    /** A recovered message: the queue's TTL counts from when the broker first received it. */
    long expiresAt(long arrival, long own) {
        return ttl < 0 ? own : Math.min(own, plus(arrival, ttl));
    }

    /** Makes sure a wakeup comes at {@code earliest} (NEVER: none needed) or sooner. */
    void arm(long earliest) {
        if (earliest == Message.NEVER || (pending != null && armedFor <= earliest)) {
            return;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        long delay = Math.max(0, earliest - clock.getAsLong());
        long armed = ++generation;
        armedFor = earliest;
        // The timer thread only posts: the state is the executor's.
        pending = hooks.timer().schedule(() -> executor.execute(() -> fired(armed)), delay, TimeUnit.MILLISECONDS);
    }

    private void fired(long armed) {
        if (armed != generation) {
            return; // superseded by an earlier wakeup, or cancelled
        }
        pending = null;
        armedFor = Message.NEVER;
        wake.run();
    }

    void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
            armedFor = Message.NEVER;
            generation++;
        }
    }

    private static long plus(long time, long ms) {
        long sum = time + ms;
        return sum < time ? Message.NEVER : sum;
    }
}
