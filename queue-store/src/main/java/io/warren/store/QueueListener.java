package io.warren.store;

/**
 * Told about a queue's life, e.g. by the server to drop it from its virtual host and bindings. Called on
 * the queue's executor: hand off, never block.
 */
@FunctionalInterface
public interface QueueListener {

    /** The queue was deleted (explicitly, or auto-delete after its last consumer); called exactly once. */
    void onDeleted(MessageQueue queue);
}
