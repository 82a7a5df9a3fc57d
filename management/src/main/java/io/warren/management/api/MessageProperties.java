package io.warren.management.api;

import io.warren.management.spi.AdminException;
import java.util.Map;
import java.util.Set;

/** Checks the "properties" object of a publish request against AMQP's basic properties by RabbitMQ's names. Pure. */
final class MessageProperties {
  static final Set<String> STRINGS = Set.of("content_type", "content_encoding", "correlation_id", "reply_to",
      "expiration", "message_id", "type", "user_id", "app_id", "cluster_id");

  private MessageProperties() {
  }

  static Map<String, Object> check(Map<String, Object> props) {
    for (Map.Entry<String, Object> e : props.entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      if (STRINGS.contains(k)) {
        if (!(v instanceof String)) {
          throw AdminException.badRequest("property '" + k + "' must be a string");
        }
      } else if (k.equals("delivery_mode") || k.equals("priority")) {
        if (!(v instanceof Number n) || n.intValue() < 0 || n.intValue() > 255) {
          throw AdminException.badRequest("property '" + k + "' must be an integer from 0 to 255");
        }
      } else if (k.equals("timestamp")) {
        if (!(v instanceof Number)) {
          throw AdminException.badRequest("property 'timestamp' must be a number (seconds)");
        }
      } else if (k.equals("headers")) {
        if (!(v instanceof Map)) {
          throw AdminException.badRequest("property 'headers' must be a JSON object");
        }
      } else {
        throw AdminException.badRequest("unknown message property '" + k + "'");
      }
    }
    return props;
  }
}
