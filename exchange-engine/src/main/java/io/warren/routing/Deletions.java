package io.warren.routing;

import java.util.List;
import java.util.Objects;

/**
 * Everything one definition change removed, cascades included: the exchanges deleted (the one asked
 * for and any auto-delete exchange that lost its last binding) and every binding dropped. What a
 * store needs to log, since cascades through transient queues cannot be replayed. Immutable; any thread.
 */
public record Deletions(List<Exchange> exchanges, List<Binding> bindings) {

    public static final Deletions NONE = new Deletions(List.of(), List.of());

    public Deletions {
        exchanges = List.copyOf(Objects.requireNonNull(exchanges, "exchanges"));
        bindings = List.copyOf(Objects.requireNonNull(bindings, "bindings"));
    }

    public boolean isEmpty() {
        return exchanges.isEmpty() && bindings.isEmpty();
    }
}
