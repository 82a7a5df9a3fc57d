package io.warren.management.spi;

import java.util.Map;

/**
 * A message taken by POST /api/queues/{vhost}/{name}/get. {@code properties} uses RabbitMQ's JSON property names
 * (content_type, headers, delivery_mode...). Immutable.
 */
public record GotMessage(String exchange, String routingKey, boolean redelivered, long messageCount,
    Map<String, Object> properties, byte[] payload) {
}
