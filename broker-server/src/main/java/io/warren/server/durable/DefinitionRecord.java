package io.warren.server.durable;

/**
 * One typed record of the definition log: a change to the topology of a vhost ({@link TopologyRecords}), to the
 * registry ({@link RegistryRecords}, {@link PolicyRecords}), or a {@link DefinitionsSnapshot} of everything. Each
 * kind has its own kind byte and version byte and writes its own fields ({@link DefinitionCodec} has the framing).
 * Immutable; any thread.
 */
public sealed interface DefinitionRecord permits TopologyRecords.ExchangeDeclared, TopologyRecords.ExchangeDeleted,
    TopologyRecords.QueueDeclared, TopologyRecords.QueueDeleted, TopologyRecords.Bound, TopologyRecords.Unbound,
    RegistryRecords.VhostDefined, RegistryRecords.VhostDeleted, RegistryRecords.UserDefined,
    RegistryRecords.UserDeleted, RegistryRecords.PermissionSet, RegistryRecords.PermissionCleared,
    RegistryRecords.TopicPermissionSet, RegistryRecords.TopicPermissionCleared, PolicyRecords.PolicySet,
    PolicyRecords.PolicyCleared, PolicyRecords.VhostLimitsSet, PolicyRecords.UserLimitsSet, DefinitionsSnapshot {

  /** The kind byte written first; always has the high bit set (see {@link DefinitionCodec}). */
  int kind();

  /** The version byte of the layout this class writes. */
  int version();

  /** Writes the fields after the kind and version bytes. */
  void writeFields(RecordWriter out);
}
