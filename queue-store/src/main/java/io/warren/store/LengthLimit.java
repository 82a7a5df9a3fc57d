package io.warren.store;

/**
 * {@code x-max-length} / {@code x-max-length-bytes} with {@code x-overflow}: limits on the READY messages of a queue
 * (unacked ones do not count), as RabbitMQ counts them. drop-head lets the next message to be delivered go (the
 * highest priority's head, as RabbitMQ's priority queues do) until the queue is within its limits; the reject modes
 * refuse a message that would take the queue past them. Immutable; confined to the queue's executor by use.
 */
final class LengthLimit {

    private final long maxLength;
    private final long maxBytes;
    private final Overflow overflow;

    private LengthLimit(QueueFeatures features) {
        this.maxLength = features.maxLength();
        this.maxBytes = features.maxLengthBytes();
        this.overflow = features.overflow();
    }

    /** Null when the queue has no limit. */
    static LengthLimit of(QueueFeatures features) {
        return features.hasLengthLimit() ? new LengthLimit(features) : null;
    }

    /** Whether new messages are refused rather than old ones dropped. */
    boolean refusesPublish() {
        return overflow != Overflow.DROP_HEAD;
    }

    /** Whether a refused message is dead-lettered (reject-publish-dlx). */
    boolean deadLettersRefused() {
        return overflow == Overflow.REJECT_PUBLISH_DLX;
    }

    /** Whether taking {@code message} would take the queue past a limit. */
    boolean wouldOverflow(QueueContents contents, Message message) {
        return (maxLength >= 0 && contents.readyCount() + 1L > maxLength)
                || (maxBytes >= 0 && contents.readyBytes() + message.bodySize() > maxBytes);
    }

    /** drop-head: lets heads go (dead-lettered as maxlen) until within the limits; returns how many went. */
    int trim(QueueContents contents) {
        if (refusesPublish()) {
            return 0;
        }
        int dropped = 0;
        while (((maxLength >= 0 && contents.readyCount() > maxLength)
                || (maxBytes >= 0 && contents.readyBytes() > maxBytes)) && contents.dropHead(DeadReason.MAXLEN)) {
            dropped++;
        }
        return dropped;
    }
}
