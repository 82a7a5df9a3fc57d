package io.warren.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A binding from a source exchange to a destination. As in RabbitMQ, its identity is all four
 * components: the same key with different arguments is a different binding. Immutable; any thread.
 *
 * @param arguments binding arguments (the headers exchange's pattern); null values are allowed
 *                  (an AMQP void field), so this is not a {@code Map.copyOf}
 */
public record Binding(String source, Destination destination, String routingKey, Map<String, Object> arguments) {

    public Binding {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(routingKey, "routingKey");
        arguments = arguments == null || arguments.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    public Binding(String source, Destination destination, String routingKey) {
        this(source, destination, routingKey, Map.of());
    }
}
