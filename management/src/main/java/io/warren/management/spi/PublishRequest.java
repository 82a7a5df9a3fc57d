package io.warren.management.spi;

import java.util.Map;

/** POST /api/exchanges/{vhost}/{name}/publish; {@code properties} uses RabbitMQ's JSON property names. */
public record PublishRequest(String vhost, String exchange, String routingKey, Map<String, Object> properties,
    byte[] payload) {
}
