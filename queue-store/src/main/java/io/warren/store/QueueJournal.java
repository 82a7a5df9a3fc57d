package io.warren.store;

/**
 * Where a durable queue reports that a persistent message has left it for good (ack, reject without
 * requeue, no-ack delivery or get, purge, delete, or arrival after deletion), so the store can write an
 * ack record; and where a deep queue reads paged-out messages back from. Called on the queue's executor: must not block (appending to the log does not).
 */
@FunctionalInterface
public interface QueueJournal {
    /** {@code message} left the queue; only persistent messages with a log position (id >= 0) are reported. */
    void removed(Message message);

    /** A paged-out message (only its log position was in memory) left the queue for good. */
    default void removed(long id) {
        throw new UnsupportedOperationException("this journal does not page messages out");
    }

    /**
     * Whether the queue may drop a persistent message's contents once it is logged, keeping only its
     * position, and {@link #read} it back when it is delivered.
     */
    default boolean pagesOut() {
        return false;
    }

    /**
     * Reads the message logged at {@code id} back; the reference is the caller's. Blocking file I/O (the
     * queue's executor is a pool thread, never an event loop); waits for the record to be written.
     */
    default Message read(long id) {
        throw new UnsupportedOperationException("this journal does not page messages out");
    }

    /**
     * A persistent logged message ({@code id >= 0}) went to a consumer that must ack it, so that a restart can tell
     * delivered messages (redelivered) from never-delivered ones. Gathered like removals: no disk wait.
     */
    default void delivered(long id) {}

    /** A persistent logged message came back to the queue unacked: its delivery count survives a restart. */
    default void returned(long id) {}

    /** End of a queue task: write what {@link #removed} gathered (one ack record per task, not per message). */
    default void flush() {}
}
