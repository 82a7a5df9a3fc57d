package io.warren.store;

import java.util.Objects;

/**
 * One message's place in one queue. Its fields change only on the queue's executor; other threads read
 * them after the queue handed the entry over (deliver, get), which publishes them. A channel keeps the
 * entry as its unacked record and gives it back through ack, requeue or discard.
 */
public final class QueueEntry {

    // Lifecycle, confined to the queue's executor.
    static final int NEW = 0;
    static final int READY = 1;
    static final int UNACKED = 2;
    static final int GONE = 3;

    // Operations posted through the queue's Mailbox; OP_NONE means "not posted".
    static final int OP_NONE = 0;
    static final int OP_ENQUEUE = 1;
    static final int OP_ACK = 2;
    static final int OP_REQUEUE = 3;
    static final int OP_DISCARD = 4;
    static final int OP_NACK_REQUEUE = 5;

    private final MessageQueue queue;
    private final Message message;
    long seq = -1;
    boolean redelivered;
    int deliveryCount;
    /** Epoch ms after which it is never delivered here (its own expiration or the queue's TTL); NEVER for none. */
    long expiresAt = Message.NEVER;
    int state = NEW;
    /** Single active consumer only: whose tenure it was delivered in, until settled or requeued; else null. */
    ConsumerRing.Tenure holder;
    /** Only until the enqueue is processed: entries are kept long, callbacks should not be. */
    EnqueueOutcome outcome;
    /** Mailbox link, owned by whoever holds the entry in a mailbox batch. */
    QueueEntry next;
    /** The posted operation; compare-and-set from OP_NONE so that a duplicate post cannot corrupt the mailbox. */
    volatile int op = OP_NONE;

    QueueEntry(MessageQueue queue, Message message, EnqueueOutcome outcome) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.message = Objects.requireNonNull(message, "message");
        this.outcome = outcome;
    }

    public MessageQueue queue() {
        return queue;
    }

    public Message message() {
        return message;
    }

    /** Position in the queue: FIFO order, kept across requeues. -1 until the queue has accepted it. */
    public long seq() {
        return seq;
    }

    public boolean redelivered() {
        return redelivered;
    }

    /** When the message expires in this queue (epoch ms), {@link Message#NEVER} if it does not. */
    public long expiresAt() {
        return expiresAt;
    }

    /** How many times the message came back to the queue (requeued) without being acked. */
    public int deliveryCount() {
        return deliveryCount;
    }

    @Override
    public String toString() {
        return "QueueEntry[" + queue.name() + "#" + seq + ", " + message + ", redelivered=" + redelivered + "]";
    }
}
