package io.warren.store;

/**
 * A queue's counts taken on its executor, hence ordered after the caller's earlier enqueues (for
 * queue.declare-ok). Immutable; any thread.
 *
 * @param messageCount ready messages
 * @param consumerCount consumers
 * @param unackedCount delivered, not yet acked
 */
public record QueueStats(int messageCount, int consumerCount, int unackedCount) {
}
