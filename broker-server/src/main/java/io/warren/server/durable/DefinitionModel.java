package io.warren.server.durable;

import io.netty.buffer.ByteBuf;
import io.warren.routing.Binding;
import io.warren.routing.Destination;
import io.warren.routing.Exchange;
import io.warren.server.durable.DefinitionsSnapshot.Topology;
import io.warren.server.durable.TopologyRecords.Bound;
import io.warren.server.durable.TopologyRecords.ExchangeDeclared;
import io.warren.server.durable.TopologyRecords.ExchangeDeleted;
import io.warren.server.durable.TopologyRecords.QueueDeclared;
import io.warren.server.durable.TopologyRecords.QueueDeleted;
import io.warren.server.durable.TopologyRecords.Unbound;
import io.warren.store.QueueSettings;
import io.warren.store.durable.MessageStore;
import io.warren.store.durable.RecoveredMessages;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The durable definitions rebuilt by replaying the log: the registry ({@link RegistryContent}) and, per vhost,
 * exchanges, queues and bindings as of the end of the log. Deleting an exchange or a queue drops the bindings to and
 * from it (the log also holds the cascades the engine made, such as auto-deleted exchanges); deleting a vhost drops
 * its whole topology and the messages of its queues. Confined to the recovering thread.
 */
public final class DefinitionModel implements MessageStore.DefinitionReplay {
  /** One vhost's durable definitions, in declaration order. */
  public static final class Vhost {
    public final Map<String, Exchange> exchanges = new LinkedHashMap<>();
    public final Map<String, QueueSettings> queues = new LinkedHashMap<>();
    public final Set<Binding> bindings = new LinkedHashSet<>();
  }

  public final Map<String, Vhost> vhosts = new LinkedHashMap<>();
  public final RegistryContent registry = new RegistryContent();
  /** A per-vhost queue that holds messages without being declared (the scheduler's), kept by snapshots. */
  private final String pseudoQueue;

  /** @param pseudoQueue the name of a queue whose messages survive snapshots although it is never declared */
  public DefinitionModel(String pseudoQueue) {
    this.pseudoQueue = pseudoQueue;
  }

  @Override
  public void definition(long position, ByteBuf payload, RecoveredMessages messages) {
    apply(DefinitionCodec.decode(payload), messages);
  }

  @Override
  public void snapshot(long position, ByteBuf payload, RecoveredMessages messages) {
    DefinitionRecord record = DefinitionCodec.decode(payload);
    if (!(record instanceof DefinitionsSnapshot snapshot)) {
      throw new IllegalArgumentException("snapshot record holds a " + record.getClass().getSimpleName());
    }
    registry.load(snapshot);
    vhosts.clear();
    for (Topology t : snapshot.topologies()) {
      Vhost vh = vhost(t.vhost());
      t.exchanges().forEach(e -> vh.exchanges.put(e.name(), e));
      t.queues().forEach(q -> vh.queues.put(q.name(), q));
      vh.bindings.addAll(t.bindings());
    }
    messages.retainQueues((vhost, queue) -> queue.equals(pseudoQueue) && (!registry.defined()
        || registry.vhosts.containsKey(vhost)) || vhosts.containsKey(vhost) && vhosts.get(vhost).queues.containsKey(queue));
  }

  /** Applies one record, live (tests) or in replay. */
  public void apply(DefinitionRecord record, RecoveredMessages messages) {
    if (record instanceof DefinitionsSnapshot) {
      throw new IllegalArgumentException("a snapshot in a definition record");
    }
    if (record instanceof RegistryRecords.VhostDeleted d) {
      Vhost gone = vhosts.remove(d.name());
      if (gone != null) {
        gone.queues.keySet().forEach(q -> messages.queueDeleted(d.name(), q));
      }
      messages.queueDeleted(d.name(), pseudoQueue);
    }
    if (registry.apply(record)) {
      return;
    }
    if (record instanceof ExchangeDeclared r) {
      vhost(r.vhost()).exchanges.put(r.exchange().name(), r.exchange());
    } else if (record instanceof ExchangeDeleted r) {
      Vhost v = vhost(r.vhost());
      v.exchanges.remove(r.name());
      v.bindings.removeIf(b -> b.source().equals(r.name()) || b.destination().equals(Destination.exchange(r.name())));
    } else if (record instanceof QueueDeclared r) {
      vhost(r.vhost()).queues.put(r.queue().name(), r.queue());
    } else if (record instanceof QueueDeleted r) {
      Vhost v = vhost(r.vhost());
      v.queues.remove(r.name());
      v.bindings.removeIf(b -> b.destination().equals(Destination.queue(r.name())));
      messages.queueDeleted(r.vhost(), r.name());
    } else if (record instanceof Bound r) {
      vhost(r.vhost()).bindings.add(r.binding());
    } else if (record instanceof Unbound r) {
      vhost(r.vhost()).bindings.remove(r.binding());
    } else {
      throw new IllegalArgumentException("unexpected definition record " + record);
    }
  }

  private Vhost vhost(String name) {
    return vhosts.computeIfAbsent(name, n -> new Vhost());
  }
}
