package io.warren.routing;

import java.util.Collection;

/**
 * The exchange types, each delegating to its own strategy class for routing and binding
 * validation. Immutable; any thread.
 */
public enum ExchangeType {
    DIRECT("direct"),
    FANOUT("fanout"),
    TOPIC("topic"),
    HEADERS("headers"),
    /**
     * RabbitMQ's delayed-message plugin type: routes like the type named by its {@code x-delayed-type} argument
     * ({@link Exchange#routingType()}); the broker holds messages carrying {@code x-delay} until they are due.
     */
    X_DELAYED_MESSAGE("x-delayed-message");

    private final String wireName;

    ExchangeType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used on the wire in exchange.declare: "direct", "fanout", "topic", "headers". */
    public String wireName() {
        return wireName;
    }

    /**
     * Looks up a type by its wire name. An unknown name is COMMAND_INVALID "invalid exchange type 'foo'", a
     * connection error, as in RabbitMQ 3.10 (3.12+ made it a channel error, rabbitmq-server#11214).
     */
    public static ExchangeType of(String wireName) {
        ExchangeType type = find(wireName);
        if (type == null) {
            throw new RoutingException(RoutingException.Reason.COMMAND_INVALID,
                    "invalid exchange type '" + wireName + "'");
        }
        return type;
    }

    /** The type of that wire name, or null. */
    public static ExchangeType find(String wireName) {
        for (ExchangeType type : values()) {
            if (type.wireName.equals(wireName)) return type;
        }
        return null;
    }

    /** Refuses a binding this type cannot use (only headers checks anything: its x-match argument). */
    void validate(Binding binding) {
        if (this == HEADERS) HeadersPattern.compile(binding);
    }

    /**
     * Builds the immutable routing table of one exchange of this type from its bindings.
     *
     * @param previous   the table this one replaces, or null; the topic type carries its cache over
     * @param generation the bindings generation; cached topic results of older generations are stale
     */
    BindingTable newTable(Collection<Binding> bindings, BindingTable previous, long generation) {
        return switch (this) {
            case DIRECT -> DirectTable.of(bindings);
            case FANOUT -> FanoutTable.of(bindings);
            case TOPIC -> TopicTable.of(bindings, previous, generation);
            case HEADERS -> HeadersTable.of(bindings);
            case X_DELAYED_MESSAGE -> throw new IllegalStateException("a delayed exchange routes as its x-delayed-type");
        };
    }

    @Override
    public String toString() {
        return wireName;
    }
}
