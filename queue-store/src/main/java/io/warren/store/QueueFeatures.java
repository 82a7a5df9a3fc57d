package io.warren.store;

/**
 * The behaviour a queue's effective arguments ask for (its own {@code x-} arguments over any matching policy), parsed
 * and validated by the server. Immutable; any thread.
 *
 * @param messageTtl {@code x-message-ttl}: ms a message may stay in the queue, -1 for no limit
 * @param expires {@code x-expires}: ms of disuse after which the queue is deleted, -1 for never
 * @param maxLength {@code x-max-length}: ready messages, -1 for no limit
 * @param maxLengthBytes {@code x-max-length-bytes}: body bytes of ready messages, -1 for no limit
 * @param overflow {@code x-overflow}
 * @param deadLetterExchange {@code x-dead-letter-exchange}, null for none ("" is the default exchange)
 * @param deadLetterRoutingKey {@code x-dead-letter-routing-key}, null to keep the message's routing keys
 * @param maxPriority {@code x-max-priority}: 1..255 makes a priority queue, 0 for none
 * @param deliveryLimit {@code x-delivery-limit}: returns allowed before the message is dead-lettered or dropped, -1
 *     for no limit
 * @param consumerTimeout {@code x-consumer-timeout}: ms a delivery may stay unacked, -1 for the broker's default
 * @param singleActiveConsumer {@code x-single-active-consumer}
 * @param retry {@code x-retry-*}, null for plain requeues
 */
public record QueueFeatures(long messageTtl, long expires, long maxLength, long maxLengthBytes, Overflow overflow,
                            String deadLetterExchange, String deadLetterRoutingKey, int maxPriority,
                            long deliveryLimit, long consumerTimeout, boolean singleActiveConsumer,
                            RetryPolicy retry) {

    /** A plain classic queue. */
    public static final QueueFeatures NONE = new QueueFeatures(-1, -1, -1, -1, Overflow.DROP_HEAD, null, null, 0, -1,
            -1, false, null);

    public QueueFeatures {
        if (overflow == null) {
            overflow = Overflow.DROP_HEAD;
        }
        if (maxPriority < 0 || maxPriority > 255) {
            throw new IllegalArgumentException("max priority must be 0..255: " + maxPriority);
        }
    }

    public boolean hasDeadLetterExchange() {
        return deadLetterExchange != null;
    }

    public boolean hasLengthLimit() {
        return maxLength >= 0 || maxLengthBytes >= 0;
    }
}
