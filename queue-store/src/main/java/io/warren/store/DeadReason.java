package io.warren.store;

/** Why a message is dead-lettered; {@link #reason()} is the {@code reason} RabbitMQ writes in {@code x-death}. */
public enum DeadReason {
    /** basic.reject / basic.nack without requeue (or past the last retry). */
    REJECTED("rejected"),
    /** Its per-message or per-queue TTL ran out. */
    EXPIRED("expired"),
    /** Dropped from the head, or refused, by a queue length limit. */
    MAXLEN("maxlen"),
    /** Returned more often than the queue's {@code x-delivery-limit}. */
    DELIVERY_LIMIT("delivery_limit");

    private final String reason;

    DeadReason(String reason) {
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
