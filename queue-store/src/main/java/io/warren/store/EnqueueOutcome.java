package io.warren.store;

/**
 * Whether a queue took a published message, for publisher confirms. Called on the queue's executor:
 * hand off to the channel's thread, never block. One instance may serve all the queues of one publish.
 */
public interface EnqueueOutcome {

    /** The queue holds the message (in memory now; once durable, after the log has it on disk). */
    void accepted(MessageQueue queue);

    /** The queue did not take the message (it was deleted); the publisher should get a nack. */
    void rejected(MessageQueue queue);
}
