package io.warren.store;

/**
 * Where a queue with a dead-letter exchange sends the messages it lets go: the server republishes them with an
 * {@code x-death} header. Called on the source queue's executor, before the queue records the message's removal in
 * its journal, so that a dead-lettered copy written to the log precedes the source's ack record: must not block
 * (appending to the log does not).
 */
@FunctionalInterface
public interface DeadLetterSink {

    /**
     * Takes over one reference of {@code message}, which has left {@code source} for {@code reason}.
     *
     * @param deadLetterExchange the source's effective dead-letter exchange ("" is the default exchange)
     * @param deadLetterRoutingKey the routing key to use, or null to keep the message's own routing keys
     */
    void deadLetter(MessageQueue source, Message message, DeadReason reason, String deadLetterExchange,
                    String deadLetterRoutingKey);
}
