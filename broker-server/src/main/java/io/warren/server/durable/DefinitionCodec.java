package io.warren.server.durable;

import io.warren.amqp.LongString;
import io.warren.routing.Binding;
import io.warren.routing.Destination;
import io.warren.routing.Exchange;
import io.warren.routing.ExchangeType;
import io.warren.store.QueueSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Durable definitions as AMQP field tables, the payload of the store's DEFINITION and DEFINITIONS_SNAPSHOT
 * records. A change is {@code {op, vhost, ...entity}}, op one of declare-exchange, delete-exchange,
 * declare-queue, delete-queue, bind, unbind; an entity is {@code {name, type, auto-delete, internal,
 * arguments}} (exchange), {@code {name, auto-delete, arguments}} (queue, always durable and not exclusive)
 * or {@code {source, destination-kind, destination, routing-key, arguments}} (binding). A snapshot is
 * {@code {vhosts: [{vhost, exchanges: [...], queues: [...], bindings: [...]}]}}. Stateless; any thread.
 */
public final class DefinitionCodec {
  private DefinitionCodec() {}

  static Map<String, Object> change(String op, String vhost, Map<String, Object> entity) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("op", op);
    m.put("vhost", vhost);
    m.putAll(entity);
    return m;
  }

  static Map<String, Object> named(String name) {
    return Map.of("name", name);
  }

  public static Map<String, Object> exchange(Exchange e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", e.name());
    m.put("type", e.type().wireName());
    m.put("auto-delete", e.autoDelete());
    m.put("internal", e.internal());
    m.put("arguments", e.arguments());
    return m;
  }

  static Exchange exchange(Map<String, Object> m) {
    return new Exchange(str(m, "name"), ExchangeType.of(str(m, "type")), true, bool(m, "auto-delete"),
        bool(m, "internal"), table(m, "arguments"));
  }

  public static Map<String, Object> queue(QueueSettings s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("auto-delete", s.autoDelete());
    m.put("arguments", s.arguments());
    return m;
  }

  static QueueSettings queue(Map<String, Object> m) {
    return new QueueSettings(str(m, "name"), true, false, bool(m, "auto-delete"), table(m, "arguments"));
  }

  public static Map<String, Object> binding(Binding b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", b.source());
    m.put("destination-kind", b.destination().kind() == Destination.Kind.QUEUE ? "queue" : "exchange");
    m.put("destination", b.destination().name());
    m.put("routing-key", b.routingKey());
    m.put("arguments", b.arguments());
    return m;
  }

  static Binding binding(Map<String, Object> m) {
    String dest = str(m, "destination");
    Destination d = "queue".equals(str(m, "destination-kind")) ? Destination.queue(dest) : Destination.exchange(dest);
    return new Binding(str(m, "source"), d, str(m, "routing-key"), table(m, "arguments"));
  }

  static String str(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v instanceof LongString l) {
      return l.utf8();
    }
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("missing or non-string field '" + key + "'");
  }

  private static boolean bool(Map<String, Object> m, String key) {
    return Boolean.TRUE.equals(m.get(key));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> table(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Map<?, ?> t ? (Map<String, Object>) t : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof List<?> l ? (List<Object>) l : List.of();
  }
}
