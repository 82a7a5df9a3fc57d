package io.warren.store;

/**
 * Receives the outcome of {@link MessageQueue#get}. Called once, on the queue's executor: hand off to the
 * channel's thread, never block.
 */
public interface GetCallback {

    /** For a no-ack get the entry's Message reference is now the caller's; otherwise the entry is unacked. */
    void onResult(GetResult result);

    /** The queue was deleted before the get ran (NOT_FOUND). */
    void onFailure(QueueException failure);
}
