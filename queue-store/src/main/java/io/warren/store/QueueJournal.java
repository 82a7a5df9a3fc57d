package io.warren.store;

/**
 * Where a durable queue reports that a persistent message has left it for good (ack, reject without
 * requeue, no-ack delivery or get, purge, delete, or arrival after deletion), so the store can write an
 * ack record. Called on the queue's executor: must not block (appending to the log does not).
 */
@FunctionalInterface
public interface QueueJournal {
    /** {@code message} left the queue; only persistent messages with a log position (id >= 0) are reported. */
    void removed(Message message);

    /** End of a queue task: write what {@link #removed} gathered (one ack record per task, not per message). */
    default void flush() {}
}
