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

    /** The "alternate-exchange" argument when it is a string, as RabbitMQ only honours a longstr. */
    public Optional<String> alternateExchange() {
        Object value = arguments.get(ALTERNATE_EXCHANGE);
        return FieldValues.isLongString(value) ? Optional.of(value.toString()) : Optional.empty();
    }
}
