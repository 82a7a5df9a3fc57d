package io.warren.server.durable;

import io.warren.routing.Binding;
import io.warren.routing.Exchange;
import io.warren.server.durable.PolicyRecords.PolicySet;
import io.warren.server.durable.PolicyRecords.UserLimitsSet;
import io.warren.server.durable.PolicyRecords.VhostLimitsSet;
import io.warren.server.durable.RegistryRecords.PermissionSet;
import io.warren.server.durable.RegistryRecords.TopicPermissionSet;
import io.warren.server.durable.RegistryRecords.UserDefined;
import io.warren.server.durable.RegistryRecords.VhostDefined;
import io.warren.store.QueueSettings;
import java.util.List;

/**
 * Every durable definition at one point of the log: the registry (vhosts, users, permissions, topic permissions,
 * policies, limits) and each vhost's durable topology. Replaces everything replayed before it. Layout (version 1):
 * a registry flag (0 in snapshots converted from the old field-table format, which held no registry), then each list
 * as a 4-byte count followed by its elements' fields as their own records write them (without kind and version),
 * topologies as vhost, exchanges, queues, bindings. Immutable; any thread.
 *
 * @param withRegistry false: the snapshot holds only topologies and leaves the registry as it was
 */
public record DefinitionsSnapshot(boolean withRegistry, List<VhostDefined> vhosts, List<UserDefined> users,
    List<PermissionSet> permissions, List<TopicPermissionSet> topicPermissions, List<PolicySet> policies,
    List<VhostLimitsSet> vhostLimits, List<UserLimitsSet> userLimits, List<Topology> topologies)
    implements DefinitionRecord {
  static final int KIND = 0xA0;

  public DefinitionsSnapshot {
    vhosts = List.copyOf(vhosts);
    users = List.copyOf(users);
    permissions = List.copyOf(permissions);
    topicPermissions = List.copyOf(topicPermissions);
    policies = List.copyOf(policies);
    vhostLimits = List.copyOf(vhostLimits);
    userLimits = List.copyOf(userLimits);
    topologies = List.copyOf(topologies);
  }

  /** One vhost's durable exchanges, queues and bindings, in declaration order. */
  public record Topology(String vhost, List<Exchange> exchanges, List<QueueSettings> queues, List<Binding> bindings) {
    public Topology {
      exchanges = List.copyOf(exchanges);
      queues = List.copyOf(queues);
      bindings = List.copyOf(bindings);
    }
  }

  @Override public int kind() {
    return KIND;
  }

  @Override public int version() {
    return 1;
  }

  @Override public void writeFields(RecordWriter out) {
    out.bool(withRegistry);
    writeList(out, vhosts, v -> v.writeFields(out));
    writeList(out, users, u -> u.writeFields(out));
    writeList(out, permissions, p -> p.writeFields(out));
    writeList(out, topicPermissions, p -> p.writeFields(out));
    writeList(out, policies, p -> p.writeFields(out));
    writeList(out, vhostLimits, l -> l.writeFields(out));
    writeList(out, userLimits, l -> l.writeFields(out));
    writeList(out, topologies, t -> {
      out.string(t.vhost());
      writeList(out, t.exchanges(), e -> TopologyRecords.writeExchange(out, e));
      writeList(out, t.queues(), q -> TopologyRecords.writeQueue(out, q));
      writeList(out, t.bindings(), b -> TopologyRecords.writeBinding(out, b));
    });
  }

  static DefinitionsSnapshot read(RecordReader in) {
    return new DefinitionsSnapshot(in.bool(), in.list(VhostDefined::read), in.list(UserDefined::read),
        in.list(PermissionSet::read), in.list(TopicPermissionSet::read), in.list(PolicySet::read),
        in.list(VhostLimitsSet::read), in.list(UserLimitsSet::read),
        in.list(r -> new Topology(r.string(), r.list(TopologyRecords::readExchange),
            r.list(TopologyRecords::readQueue), r.list(TopologyRecords::readBinding))));
  }

  private static <T> void writeList(RecordWriter out, List<T> list, java.util.function.Consumer<T> element) {
    out.int32(list.size());
    list.forEach(element);
  }
}
