package io.warren.management.spi;

import java.util.Map;

/** A queue to declare through the API (PUT /api/queues/{vhost}/{name} or definitions import). Immutable. */
public record QueueSpec(String vhost, String name, boolean durable, boolean autoDelete, Map<String, Object> arguments) {
  public QueueSpec {
    arguments = arguments == null ? Map.of() : arguments;
  }
}
