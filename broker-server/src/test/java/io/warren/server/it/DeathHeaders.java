package io.warren.server.it;

import com.rabbitmq.client.AMQP;
import java.util.List;
import java.util.Map;

/** Reads the dead-letter headers of a message as the Java client decodes them (strings come as LongString). */
final class DeathHeaders {
  private DeathHeaders() {}

  /** The x-death entries, newest first, each with its values turned into plain Java (String, Long, Date, List). */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> xDeath(AMQP.BasicProperties props) {
    Map<String, Object> headers = props.getHeaders();
    if (headers == null || !(headers.get("x-death") instanceof List<?> list)) {
      return List.of();
    }
    return list.stream().map(e -> plain((Map<String, Object>) e)).toList();
  }

  /** A header's value as a String (null if absent). */
  static String header(AMQP.BasicProperties props, String name) {
    Object v = props.getHeaders() == null ? null : props.getHeaders().get(name);
    return v == null ? null : v.toString();
  }

  /** The count of the x-death entry for (queue, reason), 0 if there is none. */
  static long count(AMQP.BasicProperties props, String queue, String reason) {
    return xDeath(props).stream().filter(d -> queue.equals(d.get("queue")) && reason.equals(d.get("reason")))
        .mapToLong(d -> (Long) d.get("count")).findFirst().orElse(0);
  }

  private static Map<String, Object> plain(Map<String, Object> entry) {
    java.util.LinkedHashMap<String, Object> out = new java.util.LinkedHashMap<>();
    entry.forEach((k, v) -> out.put(k, plainValue(v)));
    return out;
  }

  private static Object plainValue(Object v) {
    if (v instanceof com.rabbitmq.client.LongString s) {
      return s.toString();
    }
    if (v instanceof List<?> l) {
      return l.stream().map(DeathHeaders::plainValue).toList();
    }
    return v;
  }
}
