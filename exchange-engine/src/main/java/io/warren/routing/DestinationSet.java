package io.warren.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The destinations one exchange matched for one routing key, split into queues and exchanges, with
 * the queue part already wrapped as a {@link RouteResult} so that the common route (one exchange, no
 * exchange-to-exchange hop) allocates nothing. Immutable; any thread.
 */
final class DestinationSet {

    static final DestinationSet EMPTY = new DestinationSet(Set.of(), List.of());

    private final RouteResult queues;
    private final List<String> exchanges;

    private DestinationSet(Set<String> queues, List<String> exchanges) {
        this.queues = queues.isEmpty() ? RouteResult.EMPTY : new RouteResult(queues);
        this.exchanges = exchanges;
    }

    static DestinationSet of(Iterable<Destination> destinations) {
        List<String> queues = new ArrayList<>();
        List<String> exchanges = new ArrayList<>();
        for (Destination d : destinations) {
            (d.isQueue() ? queues : exchanges).add(d.name());
        }
        if (queues.isEmpty() && exchanges.isEmpty()) return EMPTY;
        return new DestinationSet(Set.copyOf(queues), List.copyOf(Set.copyOf(exchanges)));
    }

    static DestinationSet ofQueue(String queue) {
        return new DestinationSet(Set.of(queue), List.of());
    }

    boolean isEmpty() {
        return this == EMPTY || queues.isEmpty() && exchanges.isEmpty();
    }

    RouteResult queues() {
        return queues;
    }

    /** Names of destination exchanges, without duplicates. */
    List<String> exchanges() {
        return exchanges;
    }
}
