package io.warren.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An exchange definition as declared by exchange.declare. Immutable; any thread.
 *
 * @param arguments declare arguments; only "alternate-exchange" has a meaning here
 */
public record Exchange(String name, ExchangeType type, boolean durable, boolean autoDelete, boolean internal,
                       Map<String, Object> arguments) {

    static final String ALTERNATE_EXCHANGE = "alternate-exchange";
    /** The argument naming the type an {@link ExchangeType#X_DELAYED_MESSAGE} exchange routes as. */
    public static final String DELAYED_TYPE = "x-delayed-type";

    public Exchange {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        arguments = arguments == null || arguments.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    /** A durable, non-auto-delete, non-internal exchange without arguments. */
    public static Exchange durable(String name, ExchangeType type) {
        return new Exchange(name, type, true, false, false, Map.of());
    }

    /**
     * The type whose rules route this exchange's messages: its own, or for an x-delayed-message exchange the one its
     * "x-delayed-type" argument names. A missing, non-string or delayed x-delayed-type is the plugin's
     * PRECONDITION_FAILED; an unknown type name is "unknown exchange type", as rabbit_exchange:check_type says.
     */
    public ExchangeType routingType() {
        if (type != ExchangeType.X_DELAYED_MESSAGE) return type;
        Object value = arguments.get(DELAYED_TYPE);
        ExchangeType routing = FieldValues.isLongString(value) ? ExchangeType.find(value.toString()) : null;
        if (routing == null && FieldValues.isLongString(value)) {
            throw new RoutingException(RoutingException.Reason.PRECONDITION_FAILED,
                    "unknown exchange type '" + value + "'");
        }
        if (routing == null || routing == ExchangeType.X_DELAYED_MESSAGE) {
            throw new RoutingException(RoutingException.Reason.PRECONDITION_FAILED,
                    "Invalid argument, 'x-delayed-type' must be an existing exchange type");
        }
        return routing;
    }

    /** The "alternate-exchange" argument when it is a string, as RabbitMQ only honours a longstr. */
    public Optional<String> alternateExchange() {
        Object value = arguments.get(ALTERNATE_EXCHANGE);
        return FieldValues.isLongString(value) ? Optional.of(value.toString()) : Optional.empty();
    }
}
