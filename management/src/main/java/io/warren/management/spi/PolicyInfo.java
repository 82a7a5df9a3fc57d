package io.warren.management.spi;

import java.util.Map;

/**
 * A policy as RabbitMQ defines it. {@code applyTo} is "queues", "exchanges" or "all"; {@code definition} holds JSON
 * values (String, Number, Boolean, List, Map). Immutable.
 */
public record PolicyInfo(String vhost, String name, String pattern, String applyTo, int priority,
    Map<String, Object> definition) {
  public PolicyInfo {
    definition = Map.copyOf(definition);
  }
}
