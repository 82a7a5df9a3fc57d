package io.warren.routing;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of a virtual host's exchanges and bindings, replaced as a whole on every
 * definition change, and the routing walk over it. Immutable; any thread, without locks.
 *
 * @param entries every exchange by name, the default exchange "" included; never mutated once published
 */
record Topology(String vhost, Map<String, ExchangeEntry> entries, long generation) {

    RouteResult route(String exchange, String routingKey, Map<String, Object> headers) {
        ExchangeEntry start = entries.get(exchange);
        if (start == null) throw RoutingException.noExchange(exchange, vhost);
        if (!SenderSelected.present(headers)) {
            // Hot path: one exchange, one key. Direct and fanout results are precomputed, so this
            // returns a shared RouteResult without allocating.
            DestinationSet matched = start.table().match(routingKey, headers);
            if (matched.exchanges().isEmpty()) {
                if (!matched.queues().isEmpty() || start.alternateExchange() == null) return matched.queues();
            }
            return walk(start, List.of(routingKey), headers);
        }
        return walk(start, SenderSelected.keys(routingKey, headers), headers);
    }

    /**
     * RabbitMQ's rabbit_exchange:route1: a work list of exchanges, each visited once (so e2e cycles
     * end), following exchange destinations and, for an exchange that matched nothing at all, its
     * alternate exchange. Exchanges that do not exist (a dangling alternate-exchange) are skipped.
     */
    private RouteResult walk(ExchangeEntry start, List<String> keys, Map<String, Object> headers) {
        Set<String> queues = new HashSet<>();
        Set<String> seen = new HashSet<>();
        ArrayDeque<ExchangeEntry> work = new ArrayDeque<>();
        seen.add(start.name());
        work.add(start);
        ExchangeEntry entry;
        while ((entry = work.poll()) != null) {
            boolean matchedAny = false;
            BindingTable table = entry.table();
            for (String key : keys) {
                DestinationSet matched = table.match(key, headers);
                if (!matched.isEmpty()) {
                    matchedAny = true;
                    queues.addAll(matched.queues().queues());
                    for (String next : matched.exchanges()) visit(next, seen, work);
                }
                if (table.ignoresRoutingKey()) break;
            }
            if (!matchedAny && entry.alternateExchange() != null) visit(entry.alternateExchange(), seen, work);
        }
        return queues.isEmpty() ? RouteResult.EMPTY : new RouteResult(queues);
    }

    private void visit(String exchange, Set<String> seen, ArrayDeque<ExchangeEntry> work) {
        if (!seen.add(exchange)) return;
        ExchangeEntry next = entries.get(exchange);
        if (next != null) work.add(next);
    }
}
