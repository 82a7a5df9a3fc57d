package io.warren.server.registry;

/**
 * One consumer as the management API lists it. Immutable; any thread.
 *
 * @param prefetch the consumer's own prefetch (0 for none)
 */
public record ConsumerInfo(String queue, String tag, boolean ackRequired, int prefetch, boolean exclusive,
    int priority) {
}
