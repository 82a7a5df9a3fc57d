package io.warren.server.durable;

import io.netty.buffer.ByteBuf;
import io.warren.amqp.FieldTable;
import io.warren.amqp.LongString;
import io.warren.routing.Binding;
import io.warren.routing.Destination;
import io.warren.routing.Exchange;
import io.warren.routing.ExchangeType;
import io.warren.server.durable.DefinitionsSnapshot.Topology;
import io.warren.store.QueueSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the definition payloads written before records were typed, so that an old data directory still recovers: a
 * change was a field table {@code {op, vhost, ...entity}} (op one of declare-exchange, delete-exchange, declare-queue,
 * delete-queue, bind, unbind); an entity {@code {name, type, auto-delete, internal, arguments}} (exchange), {@code
 * {name, auto-delete, arguments}} (queue) or {@code {source, destination-kind, destination, routing-key, arguments}}
 * (binding); a snapshot {@code {vhosts: [{vhost, exchanges, queues, bindings}]}}. Nothing writes this format any
 * more. Stateless; any thread.
 */
final class LegacyDefinitions {
  private LegacyDefinitions() {}

  static DefinitionRecord decode(ByteBuf in) {
    Map<String, Object> m = FieldTable.decode(in);
    if (m.containsKey("vhosts") && !m.containsKey("op")) {
      return snapshot(m);
    }
    String op = str(m, "op");
    String vhost = str(m, "vhost");
    return switch (op) {
      case "declare-exchange" -> new TopologyRecords.ExchangeDeclared(vhost, exchange(m));
      case "delete-exchange" -> new TopologyRecords.ExchangeDeleted(vhost, str(m, "name"));
      case "declare-queue" -> new TopologyRecords.QueueDeclared(vhost, queue(m));
      case "delete-queue" -> new TopologyRecords.QueueDeleted(vhost, str(m, "name"));
      case "bind" -> new TopologyRecords.Bound(vhost, binding(m));
      case "unbind" -> new TopologyRecords.Unbound(vhost, binding(m));
      default -> throw new IllegalArgumentException("unknown definition op '" + op + "'");
    };
  }

  private static DefinitionsSnapshot snapshot(Map<String, Object> m) {
    List<Topology> topologies = new ArrayList<>();
    for (Object o : list(m, "vhosts")) {
      Map<String, Object> v = cast(o);
      topologies.add(new Topology(str(v, "vhost"),
          list(v, "exchanges").stream().map(e -> exchange(cast(e))).toList(),
          list(v, "queues").stream().map(q -> queue(cast(q))).toList(),
          list(v, "bindings").stream().map(b -> binding(cast(b))).toList()));
    }
    return new DefinitionsSnapshot(false, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
        topologies);
  }

  private static Exchange exchange(Map<String, Object> m) {
    return new Exchange(str(m, "name"), ExchangeType.of(str(m, "type")), true, bool(m, "auto-delete"),
        bool(m, "internal"), table(m, "arguments"));
  }

  private static QueueSettings queue(Map<String, Object> m) {
    return new QueueSettings(str(m, "name"), true, false, bool(m, "auto-delete"), table(m, "arguments"));
  }

  private static Binding binding(Map<String, Object> m) {
    String dest = str(m, "destination");
    Destination d = "queue".equals(str(m, "destination-kind")) ? Destination.queue(dest) : Destination.exchange(dest);
    return new Binding(str(m, "source"), d, str(m, "routing-key"), table(m, "arguments"));
  }

  private static String str(Map<String, Object> m, String key) {
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
  private static Map<String, Object> table(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Map<?, ?> t ? (Map<String, Object>) t : Map.of();
  }

  private static List<?> list(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof List<?> l ? l : List.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object o) {
    return (Map<String, Object>) o;
  }
}
