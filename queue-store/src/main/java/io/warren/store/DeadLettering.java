package io.warren.store;

/**
 * Hands the messages a queue lets go (rejected, expired, over its length limit, past its delivery limit) to the
 * {@link DeadLetterSink} when the queue has a dead-letter exchange; without one they are simply dropped. The caller
 * records the removal in its journal only after {@link #send}, so that the dead letter's log record comes first.
 * Confined to the queue's executor.
 */
final class DeadLettering {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeadLettering.class);

    private final MessageQueue queue;
    private final DeadLetterSink sink;
    private final String exchange;
    private final String routingKey;

    private DeadLettering(MessageQueue queue, DeadLetterSink sink, QueueFeatures features) {
        this.queue = queue;
        this.sink = sink;
        this.exchange = features.deadLetterExchange();
        this.routingKey = features.deadLetterRoutingKey();
    }

    /** Null when the queue drops what it lets go (no dead-letter exchange, or nowhere to send it). */
    static DeadLettering of(MessageQueue queue, QueueFeatures features, QueueHooks hooks) {
        if (!features.hasDeadLetterExchange() || hooks == null || hooks.deadLetters() == null) {
            return null;
        }
        return new DeadLettering(queue, hooks.deadLetters(), features);
    }

    /** Gives the sink a reference of its own; the caller keeps (and later releases) its reference. */
    void send(Message message, DeadReason reason) {
        try {
            sink.deadLetter(queue, message.retain(), reason, exchange, routingKey);
        } catch (RuntimeException e) {
            // The sink owns the reference it was given; the message still leaves this queue.
            LOG.warn("Dead-lettering {} from {} failed: {}", message, queue, e.toString());
        }
    }
}
