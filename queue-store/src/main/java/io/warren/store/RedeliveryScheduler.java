package io.warren.store;

/**
 * Holds a message a consumer rejected with {@code requeue=true} on a queue with a {@link RetryPolicy}, and puts it
 * back into that queue once its delay is over (durably, for a persistent message in a durable queue: the delayed copy
 * is logged before the source queue's ack record). The attempt count travels with the message, in its headers, which
 * only the server reads. Called on the source queue's executor: must not block.
 */
@FunctionalInterface
public interface RedeliveryScheduler {

    /**
     * Schedules the next attempt, or says the policy's attempts are used up.
     *
     * @return true if the message was scheduled (its reference taken over); false if its retries are exhausted, in
     *     which case the caller keeps its reference and dead-letters the message (reason {@code rejected}) or drops it
     */
    boolean schedule(MessageQueue source, Message message, RetryPolicy policy);
}
