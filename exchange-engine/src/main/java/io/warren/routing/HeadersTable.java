package io.warren.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Headers exchange: each binding's argument table is a pattern over the message headers; the routing
 * key plays no part. Every binding is evaluated per message. Immutable; any thread.
 */
final class HeadersTable implements BindingTable {

    private final HeadersPattern[] patterns;
    private final Destination[] destinations;

    private HeadersTable(HeadersPattern[] patterns, Destination[] destinations) {
        this.patterns = patterns;
        this.destinations = destinations;
    }

    static HeadersTable of(Collection<Binding> bindings) {
        List<HeadersPattern> patterns = new ArrayList<>(bindings.size());
        List<Destination> destinations = new ArrayList<>(bindings.size());
        for (Binding b : bindings) {
            patterns.add(HeadersPattern.compile(b));
            destinations.add(b.destination());
        }
        return new HeadersTable(patterns.toArray(new HeadersPattern[0]), destinations.toArray(new Destination[0]));
    }

    @Override
    public DestinationSet match(String routingKey, Map<String, Object> headers) {
        Set<Destination> matched = null;
        for (int i = 0; i < patterns.length; i++) {
            if (patterns[i].matches(headers)) {
                if (matched == null) matched = new LinkedHashSet<>();
                matched.add(destinations[i]);
            }
        }
        return matched == null ? DestinationSet.EMPTY : DestinationSet.of(matched);
    }

    @Override
    public boolean ignoresRoutingKey() {
        return true;
    }
}
