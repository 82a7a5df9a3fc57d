package io.warren.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Direct exchange: a binding matches when its key equals the routing key. The result for each key is
 * precomputed, so routing is one hash lookup and no allocation. Immutable; any thread.
 */
final class DirectTable implements BindingTable {

    private final Map<String, DestinationSet> byKey;

    private DirectTable(Map<String, DestinationSet> byKey) {
        this.byKey = byKey;
    }

    static DirectTable of(Collection<Binding> bindings) {
        Map<String, List<Destination>> grouped = new HashMap<>();
        for (Binding b : bindings) {
            grouped.computeIfAbsent(b.routingKey(), k -> new ArrayList<>()).add(b.destination());
        }
        Map<String, DestinationSet> byKey = new HashMap<>(grouped.size() * 2);
        grouped.forEach((key, destinations) -> byKey.put(key, DestinationSet.of(destinations)));
        return new DirectTable(byKey);
    }

    @Override
    public DestinationSet match(String routingKey, Map<String, Object> headers) {
        return byKey.getOrDefault(routingKey, DestinationSet.EMPTY);
    }
}
