package io.warren.store;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * What a queue's features need from outside: a clock, a timer, and where dead letters and delayed retries go.
 * Immutable; any thread.
 *
 * @param clock epoch milliseconds (tests inject their own)
 * @param timer wakes a queue when its oldest message expires or it has been unused for {@code x-expires}; tasks must
 *     only post to the queue's executor
 * @param deadLetters where messages leaving a queue with a dead-letter exchange go; null drops them
 * @param retries where rejected-with-requeue messages of a queue with a {@link RetryPolicy} wait; null requeues them
 *     at once
 */
public record QueueHooks(LongSupplier clock, ScheduledExecutorService timer, DeadLetterSink deadLetters,
                         RedeliveryScheduler retries) {

    public QueueHooks {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(timer, "timer");
    }
}
