package io.warren.store;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What queue.declare asked for. Immutable, any thread.
 *
 * @param arguments the x-arguments as decoded from the field table; copied, and may hold null values ('V')
 */
public record QueueSettings(String name, boolean durable, boolean exclusive, boolean autoDelete,
                            Map<String, Object> arguments) {

    public QueueSettings {
        Objects.requireNonNull(name, "name");
        // The server names server-named queues before they get here; a shortstr holds at most 255 bytes.
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("queue name must be 1..255 bytes: '" + name + "'");
        }
        // Not Map.copyOf: AMQP tables may carry null (void) values.
        arguments = arguments == null || arguments.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    /** A non-durable, non-exclusive, non-auto-delete queue without arguments. */
    public static QueueSettings named(String name) {
        return new QueueSettings(name, false, false, false, Map.of());
    }
}
