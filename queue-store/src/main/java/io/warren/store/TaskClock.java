package io.warren.store;

import java.util.function.LongSupplier;

/**
 * The time one task of a queue works with: the real clock is read at most once per task. A message due the moment
 * it arrives (an expiration of 0, or a TTL used up on the way) may go to a consumer waiting for it; the enqueue and
 * the delivery attempt that follows in the same task must agree on the time, or a clock tick between them would
 * expire a message that a ready consumer was there to take. RabbitMQ likewise settles such a message's fate once, on
 * arrival. Confined to the queue's executor.
 */
final class TaskClock implements LongSupplier {
    private final LongSupplier clock;
    private long now;
    private boolean read;

    TaskClock(LongSupplier clock) {
        this.clock = clock;
    }

    /** A new task begins (or one ends): the next reading comes from the real clock. */
    void nextTask() {
        read = false;
    }

    @Override
    public long getAsLong() {
        if (!read) {
            now = clock.getAsLong();
            read = true;
        }
        return now;
    }
}
