package io.warren.routing;

import java.util.List;

/**
 * One exchange inside a {@link Topology} snapshot: its definition, its bindings as a source (insertion
 * order, no duplicates) and the routing table built from them. Immutable; any thread.
 *
 * @param alternateExchange the "alternate-exchange" argument, or null
 */
record ExchangeEntry(Exchange exchange, List<Binding> bindings, BindingTable table, String alternateExchange) {

    ExchangeEntry(Exchange exchange, List<Binding> bindings, BindingTable table) {
        this(exchange, List.copyOf(bindings), table, exchange.alternateExchange().orElse(null));
    }

    String name() {
        return exchange.name();
    }
}
