package io.warren.store;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@code x-expires}: the queue is deleted once it has had no consumer and no use (declare, basic.get, basic.consume)
 * for that many ms. One timer task at a time, set for the moment the queue would expire if unused from now on; when
 * it runs and the queue was used meanwhile, it re-arms for the rest. {@link #used} may be called on any thread;
 * the rest is confined to the queue's executor.
 */
final class IdleExpiry {

    private final long expires;
    private final LongSupplier clock;
    private final QueueHooks hooks;
    private final Runnable wake;
    private volatile long lastUsed;
    private ScheduledFuture<?> pending;

    /** @param wake runs on the timer's thread: must only post to the queue's executor */
    IdleExpiry(long expires, QueueHooks hooks, Runnable wake) {
        this.expires = expires;
        this.clock = hooks.clock();
        this.hooks = hooks;
        this.wake = wake;
        this.lastUsed = clock.getAsLong();
    }

    /** The queue was used now. */
    void used() {
        lastUsed = clock.getAsLong();
    }

    /** Schedules the check unless one is pending. */
    void arm() {
        if (pending == null) {
            long delay = Math.max(0, lastUsed + expires - clock.getAsLong());
            pending = hooks.timer().schedule(wake, delay, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The timer ran: true if the queue, with or without consumers, should be deleted now. Re-arms when it is idle but
     * not yet for long enough; with consumers it stays unarmed until the last one leaves.
     */
    boolean due(boolean hasConsumers) {
        pending = null;
        if (hasConsumers) {
            return false;
        }
        if (clock.getAsLong() - lastUsed >= expires) {
            return true;
        }
        arm();
        return false;
    }

    void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
