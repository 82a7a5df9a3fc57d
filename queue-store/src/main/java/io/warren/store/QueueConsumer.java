package io.warren.store;

/**
 * A subscription (basic.consume) on a queue, implemented by the channel. Every method is called only on
 * the queue's executor, so each must be quick and must hand work to the channel's thread, never block.
 */
public interface QueueConsumer {

    String tag();

    /** True: the queue forgets an entry once delivered and hands its Message reference to the consumer. */
    boolean noAck();

    /** Takes one unit of prefetch credit; true if one message may be delivered now. */
    boolean tryAcquireCredit();

    /**
     * A message for this consumer; credit for it was taken by {@link #tryAcquireCredit}. For a no-ack
     * consumer the entry's Message reference is now the consumer's to release after writing it; read
     * {@link QueueEntry#redelivered()} here if the write may happen after the entry is requeued. If this
     * throws, the queue takes the entry back, calls {@link #cancelledByQueue()} and drops the consumer.
     */
    void deliver(MessageQueue queue, QueueEntry entry);

    /** The queue was deleted: send basic.cancel to the client (consumer_cancel_notify). */
    void cancelledByQueue();

    /** From the x-priority consume argument: higher priorities are served first while they have credit. */
    default int priority() {
        return 0;
    }

    /** basic.consume exclusive: no other consumer may share the queue. */
    default boolean exclusive() {
        return false;
    }

    /**
     * While deliveries already handed to this consumer still wait on its connection: a count that grows as the client
     * takes them (what its connection passed on to the kernel); -1 when nothing waits. An auto-ack consumer whose
     * socket is full gets nothing from the queue until it drains, yet it is still taking: the queue keeps pacing its
     * publishers while this count grows ({@link ConsumerLiveness}). Any thread; called only while the queue paces.
     */
    default long heldProgress() {
        return -1;
    }
}
