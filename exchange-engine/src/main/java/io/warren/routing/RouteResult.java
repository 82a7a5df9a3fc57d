package io.warren.routing;

import java.util.Objects;
import java.util.Set;

/**
 * The queues a message was routed to, deduplicated; empty means unroutable. Results of simple routes
 * are precomputed and shared, so callers must not rely on identity. Immutable; any thread.
 */
public record RouteResult(Set<String> queues) {

    public static final RouteResult EMPTY = new RouteResult(Set.of());

    public RouteResult {
        queues = Set.copyOf(Objects.requireNonNull(queues, "queues"));
    }

    public boolean isEmpty() {
        return queues.isEmpty();
    }

    public int size() {
        return queues.size();
    }

    public boolean contains(String queue) {
        return queues.contains(queue);
    }
}
