package io.warren.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A virtual host's exchanges and bindings, with RabbitMQ's declare/bind/delete rules and routing.
 * Thread-safe, any thread: definition changes are serialised by one lock and each publishes a new
 * immutable {@link Topology}; {@link #route} reads the current one from a volatile field, lock-free.
 *
 * <p>The default exchange "" routes a key to the queue of that name when {@code queueExists} says it
 * exists (queues are implicitly bound to it; nothing is stored per queue). The predicate is called on
 * publishing threads (and under this object's lock when binding), so it must be thread-safe, cheap
 * (e.g. a ConcurrentHashMap lookup) and must not call back into this VirtualHost.
 */
public final class VirtualHost {

    /** The firehose tracer's exchange: internal, so only the broker publishes to it; clients bind queues to it. */
    public static final String TRACE_EXCHANGE = "amq.rabbitmq.trace";

    /** The exchanges every virtual host starts with, as RabbitMQ predeclares them. */
    static final List<Exchange> PREDECLARED = List.of(
            Exchange.durable("amq.direct", ExchangeType.DIRECT),
            Exchange.durable("amq.fanout", ExchangeType.FANOUT),
            Exchange.durable("amq.topic", ExchangeType.TOPIC),
            Exchange.durable("amq.headers", ExchangeType.HEADERS),
            Exchange.durable("amq.match", ExchangeType.HEADERS),
            new Exchange(TRACE_EXCHANGE, ExchangeType.TOPIC, true, false, true, Map.of()));

    private static final String RESERVED_PREFIX = "amq.";

    private final String name;
    private final Predicate<String> queueExists;
    private final Object lock = new Object();
    private volatile Topology topology;
    /** Bindings by destination, for removeDestination and bindingsTo; guarded by lock. */
    private final Map<Destination, Set<Binding>> byDestination = new HashMap<>();

    /** Alternate exchanges given by policy to exchanges declared without the argument; set before any declare. */
    private volatile java.util.function.UnaryOperator<String> policyAlternate = exchange -> null;

    /**
     * Sets where exchanges declared from now on without an "alternate-exchange" argument get one (a policy); the
     * function returns null for none. Call at startup, before any exchange other than the predeclared ones exists.
     */
    public void alternateExchangePolicy(java.util.function.UnaryOperator<String> policyAlternate) {
        this.policyAlternate = Objects.requireNonNull(policyAlternate, "policyAlternate");
    }

    public VirtualHost(String name, Predicate<String> queueExists) {
        this.name = Objects.requireNonNull(name, "name");
        this.queueExists = Objects.requireNonNull(queueExists, "queueExists");
        Exchange defaultExchange = Exchange.durable("", ExchangeType.DIRECT);
        Map<String, ExchangeEntry> entries = new HashMap<>();
        entries.put("", new ExchangeEntry(defaultExchange, List.of(), new DefaultExchangeTable(queueExists)));
        TopologyEdit edit = new TopologyEdit(new Topology(name, Map.copyOf(entries), 0), byDestination);
        PREDECLARED.forEach(edit::addExchange);
        this.topology = edit.build();
    }

    public String name() {
        return name;
    }

    /**
     * exchange.declare (not passive): returns the exchange as it now exists. Redeclaring with the same
     * properties is a no-op; RabbitMQ's errors otherwise (default exchange, inequivalent arguments,
     * reserved "amq." prefix for a new exchange, a non-string alternate-exchange).
     */
    public Exchange declareExchange(Exchange requested) {
        Objects.requireNonNull(requested, "requested");
        if (requested.name().isEmpty()) throw RoutingException.defaultExchange();
        synchronized (lock) {
            ExchangeEntry existing = topology.entries().get(requested.name());
            if (existing != null) {
                ExchangeEquivalence.check(existing.exchange(), requested, name);
                return existing.exchange();
            }
            if (requested.name().startsWith(RESERVED_PREFIX)) {
                throw new RoutingException(RoutingException.Reason.ACCESS_REFUSED,
                        "exchange name '" + requested.name() + "' contains reserved prefix 'amq.*'");
            }
            checkAlternateExchangeType(requested);
            requested.routingType(); // the delayed-message plugin validates x-delayed-type of a new exchange only
            TopologyEdit edit = edit();
            edit.addExchange(requested);
            topology = edit.build();
            return requested;
        }
    }

    /** Policies changed: exchanges without their own alternate exchange get the one the policy gives them now. */
    public void reapplyAlternateExchangePolicy() {
        synchronized (lock) {
            TopologyEdit edit = edit();
            edit.reapplyAlternatePolicy();
            topology = edit.build();
        }
    }

    public Optional<Exchange> exchange(String exchange) {
        ExchangeEntry entry = topology.entries().get(exchange);
        return entry == null ? Optional.empty() : Optional.of(entry.exchange());
    }

    /** The exchange, or NOT_FOUND "no exchange 'x' in vhost '/'" (passive declare, publish checks). */
    public Exchange requireExchange(String exchange) {
        return exchange(exchange).orElseThrow(() -> RoutingException.noExchange(exchange, name));
    }

    /**
     * exchange.delete. Deleting an exchange that does not exist succeeds, as in RabbitMQ. Its bindings
     * go with it, and sources that lose their last binding to it are auto-deleted.
     */
    public Deletions deleteExchange(String exchange, boolean ifUnused) {
        if (exchange.isEmpty()) throw RoutingException.defaultExchange();
        if (exchange.startsWith(RESERVED_PREFIX)) {
            throw new RoutingException(RoutingException.Reason.ACCESS_REFUSED,
                    "deletion of system " + RoutingException.describe(exchange, name) + " not allowed");
        }
        synchronized (lock) {
            ExchangeEntry entry = topology.entries().get(exchange);
            if (entry == null) return Deletions.NONE;
            if (ifUnused && !entry.bindings().isEmpty()) {
                throw new RoutingException(RoutingException.Reason.PRECONDITION_FAILED,
                        RoutingException.describe(exchange, name) + " in use");
            }
            TopologyEdit edit = edit();
            edit.deleteExchange(exchange);
            topology = edit.build();
            return edit.deletions();
        }
    }

    /** queue.bind / exchange.bind: true if the binding is new, false if it already existed. */
    public boolean bind(Binding binding) {
        synchronized (lock) {
            ExchangeEntry source = checkEnds(binding);
            source.exchange().routingType().validate(binding);
            TopologyEdit edit = edit();
            if (!edit.addBinding(binding)) return false;
            topology = edit.build();
            return true;
        }
    }

    /**
     * queue.unbind / exchange.unbind. As in RabbitMQ, a binding that does not exist is not an error,
     * even when its source or destination does not exist either; only the default exchange is refused.
     */
    public Deletions unbind(Binding binding) {
        checkNotDefault(binding);
        synchronized (lock) {
            TopologyEdit edit = edit();
            if (!edit.removeBinding(binding)) return Deletions.NONE;
            topology = edit.build();
            return edit.deletions();
        }
    }

    /**
     * Drops every binding to a queue or exchange that the server has deleted, auto-deleting sources
     * left without bindings. Unknown destinations are fine (nothing to drop).
     */
    public Deletions removeDestination(Destination destination) {
        synchronized (lock) {
            if (!byDestination.containsKey(destination)) return Deletions.NONE;
            TopologyEdit edit = edit();
            edit.removeBindingsTo(destination);
            topology = edit.build();
            return edit.deletions();
        }
    }

    /**
     * Routes a publish: the queues the message goes to (empty = unroutable), following
     * exchange-to-exchange bindings, alternate exchanges and the CC/BCC headers' keys. Internal
     * exchanges are routed through like any other: refusing client publishes to them is the caller's
     * job ({@link Exchange#internal()}), as is stripping BCC from delivered headers.
     *
     * @param headers the message headers, or null
     * @throws RoutingException NOT_FOUND if the exchange does not exist
     */
    public RouteResult route(String exchange, String routingKey, Map<String, Object> headers) {
        return topology.route(exchange, routingKey, headers);
    }

    /** Every exchange, the default and amq.* ones included; a consistent snapshot. */
    public List<Exchange> exchanges() {
        List<Exchange> exchanges = new ArrayList<>();
        for (ExchangeEntry entry : topology.entries().values()) exchanges.add(entry.exchange());
        return exchanges;
    }

    /** Every binding (the default exchange's implicit ones excepted); a consistent snapshot. */
    public List<Binding> bindings() {
        List<Binding> bindings = new ArrayList<>();
        for (ExchangeEntry entry : topology.entries().values()) bindings.addAll(entry.bindings());
        return bindings;
    }

    /** The bindings whose source is this exchange (empty if it does not exist). */
    public List<Binding> bindingsFrom(String exchange) {
        ExchangeEntry entry = topology.entries().get(exchange);
        return entry == null ? List.of() : entry.bindings();
    }

    /** The bindings to a queue or exchange. */
    public List<Binding> bindingsTo(Destination destination) {
        synchronized (lock) {
            Set<Binding> bindings = byDestination.get(destination);
            return bindings == null ? List.of() : List.copyOf(bindings);
        }
    }

    private TopologyEdit edit() {
        return new TopologyEdit(topology, byDestination, policyAlternate);
    }

    /** RabbitMQ's checks on both ends of a binding: not the default exchange, and both exist. */
    private ExchangeEntry checkEnds(Binding binding) {
        checkNotDefault(binding);
        Destination destination = binding.destination();
        ExchangeEntry source = topology.entries().get(binding.source());
        if (source == null) throw RoutingException.noExchange(binding.source(), name);
        if (destination.isQueue()) {
            if (!queueExists.test(destination.name())) throw RoutingException.noQueue(destination.name(), name);
        } else if (!topology.entries().containsKey(destination.name())) {
            throw RoutingException.noExchange(destination.name(), name);
        }
        return source;
    }

    private static void checkNotDefault(Binding binding) {
        Destination destination = binding.destination();
        if (binding.source().isEmpty() || !destination.isQueue() && destination.name().isEmpty()) {
            throw RoutingException.defaultExchange();
        }
    }

    private void checkAlternateExchangeType(Exchange requested) {
        Map<String, Object> args = requested.arguments();
        if (!args.containsKey(Exchange.ALTERNATE_EXCHANGE)) return;
        Object value = args.get(Exchange.ALTERNATE_EXCHANGE);
        if (!FieldValues.isLongString(value)) {
            throw new RoutingException(RoutingException.Reason.PRECONDITION_FAILED,
                    "invalid type '" + FieldValues.typeName(value) + "' for arg '" + Exchange.ALTERNATE_EXCHANGE
                            + "' in " + RoutingException.describe(requested.name(), name));
        }
    }
}
