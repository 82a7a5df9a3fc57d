package io.warren.routing;

import java.util.Map;
import java.util.function.Predicate;

/**
 * The default exchange: every queue is implicitly bound to it under its own name, so a key routes to
 * the queue of that name if it exists (asked of the server through a predicate rather than stored as
 * bindings). Immutable; any thread (the predicate must be thread-safe).
 */
final class DefaultExchangeTable implements BindingTable {

    private final Predicate<String> queueExists;

    DefaultExchangeTable(Predicate<String> queueExists) {
        this.queueExists = queueExists;
    }

    @Override
    public DestinationSet match(String routingKey, Map<String, Object> headers) {
        return queueExists.test(routingKey) ? DestinationSet.ofQueue(routingKey) : DestinationSet.EMPTY;
    }
}
