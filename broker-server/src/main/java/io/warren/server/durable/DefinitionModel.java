package io.warren.server.durable;

import io.netty.buffer.ByteBuf;
import io.warren.amqp.FieldTable;
import io.warren.routing.Binding;
import io.warren.routing.Destination;
import io.warren.routing.Exchange;
import io.warren.store.QueueSettings;
import io.warren.store.durable.MessageStore;
import io.warren.store.durable.RecoveredMessages;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The durable definitions rebuilt by replaying the log: per vhost, exchanges, queues and bindings as of the
 * end of the log. Deleting an exchange or a queue drops the bindings to and from it (the log also holds
 * the cascades the engine made, such as auto-deleted exchanges). Confined to the recovering thread.
 */
final class DefinitionModel implements MessageStore.DefinitionReplay {
  /** One vhost's durable definitions, in declaration order. */
  static final class Vhost {
    final Map<String, Exchange> exchanges = new LinkedHashMap<>();
    final Map<String, QueueSettings> queues = new LinkedHashMap<>();
    final Set<Binding> bindings = new LinkedHashSet<>();
  }

  final Map<String, Vhost> vhosts = new LinkedHashMap<>();

  @Override
  public void definition(long position, ByteBuf payload, RecoveredMessages messages) {
    apply(FieldTable.decode(payload), messages);
  }

  @Override
  public void snapshot(long position, ByteBuf payload, RecoveredMessages messages) {
    Map<String, Object> snapshot = FieldTable.decode(payload);
    vhosts.clear();
    for (Object o : DefinitionCodec.list(snapshot, "vhosts")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> v = (Map<String, Object>) o;
      Vhost vh = vhost(DefinitionCodec.str(v, "vhost"));
      for (Object e : DefinitionCodec.list(v, "exchanges")) {
        Exchange ex = DefinitionCodec.exchange(cast(e));
        vh.exchanges.put(ex.name(), ex);
      }
      for (Object q : DefinitionCodec.list(v, "queues")) {
        QueueSettings s = DefinitionCodec.queue(cast(q));
        vh.queues.put(s.name(), s);
      }
      for (Object b : DefinitionCodec.list(v, "bindings")) {
        vh.bindings.add(DefinitionCodec.binding(cast(b)));
      }
    }
    // the scheduler's pseudo-queue is no declared queue, but its messages stay
    messages.retainQueues((vhost, queue) -> queue.equals(io.warren.server.schedule.Schedule.QUEUE)
        || vhosts.containsKey(vhost) && vhosts.get(vhost).queues.containsKey(queue));
  }

  private void apply(Map<String, Object> m, RecoveredMessages messages) {
    String op = DefinitionCodec.str(m, "op");
    String vhostName = DefinitionCodec.str(m, "vhost");
    Vhost v = vhost(vhostName);
    switch (op) {
      case "declare-exchange" -> {
        Exchange e = DefinitionCodec.exchange(m);
        v.exchanges.put(e.name(), e);
      }
      case "delete-exchange" -> {
        String name = DefinitionCodec.str(m, "name");
        v.exchanges.remove(name);
        v.bindings.removeIf(b -> b.source().equals(name) || b.destination().equals(Destination.exchange(name)));
      }
      case "declare-queue" -> {
        QueueSettings s = DefinitionCodec.queue(m);
        v.queues.put(s.name(), s);
      }
      case "delete-queue" -> {
        String name = DefinitionCodec.str(m, "name");
        v.queues.remove(name);
        v.bindings.removeIf(b -> b.destination().equals(Destination.queue(name)));
        messages.queueDeleted(vhostName, name);
      }
      case "bind" -> v.bindings.add(DefinitionCodec.binding(m));
      case "unbind" -> v.bindings.remove(DefinitionCodec.binding(m));
      default -> throw new IllegalArgumentException("unknown definition op '" + op + "'");
    }
  }

  private Vhost vhost(String name) {
    return vhosts.computeIfAbsent(name, n -> new Vhost());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object o) {
    return (Map<String, Object>) o;
  }
}
