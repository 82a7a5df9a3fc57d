package io.warren.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Fanout exchange: every binding matches, whatever the key. One precomputed result. Immutable; any thread.
 */
final class FanoutTable implements BindingTable {

    private final DestinationSet all;

    private FanoutTable(DestinationSet all) {
        this.all = all;
    }

    static FanoutTable of(Collection<Binding> bindings) {
        List<Destination> destinations = new ArrayList<>(bindings.size());
        for (Binding b : bindings) destinations.add(b.destination());
        return new FanoutTable(DestinationSet.of(destinations));
    }

    @Override
    public DestinationSet match(String routingKey, Map<String, Object> headers) {
        return all;
    }

    @Override
    public boolean ignoresRoutingKey() {
        return true;
    }
}
