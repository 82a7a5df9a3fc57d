package io.warren.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One definition change being prepared: a working copy of a {@link Topology}'s exchange map plus the
 * live destination index, with the cascades RabbitMQ applies (deleting an exchange drops its bindings
 * both ways; an auto-delete exchange goes when its last binding as a source goes). Only the exchanges
 * whose bindings changed get a new routing table. Callers validate first, so that a refused change
 * touches nothing. Confined to the thread holding the VirtualHost's lock.
 */
final class TopologyEdit {

    private final String vhost;
    private final long generation;
    private final Map<String, ExchangeEntry> entries;
    private final Map<Destination, Set<Binding>> byDestination;
    private final Map<String, Set<Binding>> changed = new HashMap<>();
    private final List<Exchange> deletedExchanges = new ArrayList<>();
    private final List<Binding> deletedBindings = new ArrayList<>();

    /** The alternate exchange a policy gives an exchange that has no alternate-exchange argument, or null. */
    private final java.util.function.UnaryOperator<String> policyAlternate;

    TopologyEdit(Topology base, Map<Destination, Set<Binding>> byDestination) {
        this(base, byDestination, name -> null);
    }

    TopologyEdit(Topology base, Map<Destination, Set<Binding>> byDestination,
                 java.util.function.UnaryOperator<String> policyAlternate) {
        this.policyAlternate = policyAlternate;
        this.vhost = base.vhost();
        this.generation = base.generation() + 1;
        this.entries = new HashMap<>(base.entries());
        this.byDestination = byDestination;
    }

    void addExchange(Exchange exchange) {
        BindingTable table = exchange.routingType().newTable(List.of(), null, generation);
        entries.put(exchange.name(), new ExchangeEntry(exchange, List.of(), table,
                exchange.alternateExchange().orElseGet(() -> policyAlternate.apply(exchange.name()))));
    }

    /**
     * Gives every exchange without its own alternate-exchange argument the one the policy gives it now (the default
     * and predeclared amq.* exchanges never get one). Bindings and tables stay.
     */
    void reapplyAlternatePolicy() {
        for (Map.Entry<String, ExchangeEntry> e : List.copyOf(entries.entrySet())) {
            ExchangeEntry entry = e.getValue();
            String name = e.getKey();
            if (name.isEmpty() || name.startsWith("amq.") || entry.exchange().alternateExchange().isPresent()) {
                continue;
            }
            String policy = policyAlternate.apply(name);
            if (!Objects.equals(policy, entry.alternateExchange())) {
                entries.put(name, new ExchangeEntry(entry.exchange(), entry.bindings(), entry.table(), policy));
            }
        }
    }

    /** Adds a binding whose source exists; false if it was already there. */
    boolean addBinding(Binding binding) {
        if (!bindingsOf(binding.source()).add(binding)) return false;
        byDestination.computeIfAbsent(binding.destination(), d -> new LinkedHashSet<>()).add(binding);
        return true;
    }

    /** Removes a binding, auto-deleting its source if that was its last; false if it was not there. */
    boolean removeBinding(Binding binding) {
        ExchangeEntry source = entries.get(binding.source());
        if (source == null) return false;
        Set<Binding> bindings = bindingsOf(binding.source());
        if (!bindings.remove(binding)) return false;
        unindex(binding);
        if (bindings.isEmpty() && source.exchange().autoDelete()) deleteExchange(binding.source());
        return true;
    }

    /** Removes every binding to a destination (a deleted queue or exchange), with auto-delete cascades. */
    void removeBindingsTo(Destination destination) {
        Set<Binding> bindings = byDestination.get(destination);
        if (bindings == null) return;
        for (Binding binding : List.copyOf(bindings)) removeBinding(binding);
    }

    /** Deletes an exchange and its bindings as source and destination; false if it did not exist. */
    boolean deleteExchange(String name) {
        ExchangeEntry entry = entries.remove(name);
        if (entry == null) return false;
        deletedExchanges.add(entry.exchange());
        Set<Binding> pending = changed.remove(name);
        for (Binding binding : pending != null ? pending : entry.bindings()) unindex(binding);
        removeBindingsTo(Destination.exchange(name));
        return true;
    }

    /** What this edit removed, cascades included, in removal order. */
    Deletions deletions() {
        return new Deletions(deletedExchanges, deletedBindings);
    }

    Topology build() {
        changed.forEach((name, bindings) -> {
            ExchangeEntry old = entries.get(name);
            if (old == null) return;
            BindingTable table = old.exchange().routingType().newTable(bindings, old.table(), generation);
            entries.put(name, new ExchangeEntry(old.exchange(), List.copyOf(bindings), table, old.alternateExchange()));
        });
        return new Topology(vhost, Collections.unmodifiableMap(entries), generation);
    }

    private Set<Binding> bindingsOf(String source) {
        return changed.computeIfAbsent(source, s -> new LinkedHashSet<>(entries.get(s).bindings()));
    }

    private void unindex(Binding binding) {
        deletedBindings.add(binding);
        Set<Binding> bindings = byDestination.get(binding.destination());
        if (bindings != null && bindings.remove(binding) && bindings.isEmpty()) {
            byDestination.remove(binding.destination());
        }
    }
}
