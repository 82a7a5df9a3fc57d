package io.warren.server.durable;

import io.netty.buffer.ByteBuf;

/**
 * Frames typed definition records in the payload of the store's DEFINITION and DEFINITIONS_SNAPSHOT records: a kind
 * byte (high bit always set), a version byte, then the fields the record's class writes. Payloads written before
 * records were typed are AMQP field tables, which start with a 4-byte length whose first byte never has the high bit
 * set; {@link LegacyDefinitions} reads those. Stateless; any thread.
 */
public final class DefinitionCodec {
  private DefinitionCodec() {}

  public static void encode(DefinitionRecord record, ByteBuf out) {
    RecordWriter w = new RecordWriter(out).header(record.kind(), record.version());
    record.writeFields(w);
  }

  /** Decodes one payload (typed or old); throws IllegalArgumentException or IndexOutOfBounds if it is damaged. */
  public static DefinitionRecord decode(ByteBuf in) {
    if (in.readableBytes() < 2) {
      throw new IllegalArgumentException("definition record of " + in.readableBytes() + " byte(s)");
    }
    int kind = in.getUnsignedByte(in.readerIndex());
    if ((kind & 0x80) == 0) {
      return LegacyDefinitions.decode(in);
    }
    in.skipBytes(1);
    int version = in.readUnsignedByte();
    if (version != 1) {
      throw new IllegalArgumentException("definition record kind 0x" + Integer.toHexString(kind)
          + " has unknown version " + version);
    }
    RecordReader r = new RecordReader(in);
    DefinitionRecord record = switch (kind) {
      case TopologyRecords.EXCHANGE_DECLARED -> TopologyRecords.ExchangeDeclared.read(r);
      case TopologyRecords.EXCHANGE_DELETED -> TopologyRecords.ExchangeDeleted.read(r);
      case TopologyRecords.QUEUE_DECLARED -> TopologyRecords.QueueDeclared.read(r);
      case TopologyRecords.QUEUE_DELETED -> TopologyRecords.QueueDeleted.read(r);
      case TopologyRecords.BOUND -> TopologyRecords.Bound.read(r);
      case TopologyRecords.UNBOUND -> TopologyRecords.Unbound.read(r);
      case RegistryRecords.VHOST_DEFINED -> RegistryRecords.VhostDefined.read(r);
      case RegistryRecords.VHOST_DELETED -> RegistryRecords.VhostDeleted.read(r);
      case RegistryRecords.USER_DEFINED -> RegistryRecords.UserDefined.read(r);
      case RegistryRecords.USER_DELETED -> RegistryRecords.UserDeleted.read(r);
      case RegistryRecords.PERMISSION_SET -> RegistryRecords.PermissionSet.read(r);
      case RegistryRecords.PERMISSION_CLEARED -> RegistryRecords.PermissionCleared.read(r);
      case RegistryRecords.TOPIC_PERMISSION_SET -> RegistryRecords.TopicPermissionSet.read(r);
      case RegistryRecords.TOPIC_PERMISSION_CLEARED -> RegistryRecords.TopicPermissionCleared.read(r);
      case PolicyRecords.POLICY_SET -> PolicyRecords.PolicySet.read(r);
      case PolicyRecords.POLICY_CLEARED -> PolicyRecords.PolicyCleared.read(r);
      case PolicyRecords.VHOST_LIMITS_SET -> PolicyRecords.VhostLimitsSet.read(r);
      case PolicyRecords.USER_LIMITS_SET -> PolicyRecords.UserLimitsSet.read(r);
      case DefinitionsSnapshot.KIND -> DefinitionsSnapshot.read(r);
      default -> throw new IllegalArgumentException("unknown definition record kind 0x" + Integer.toHexString(kind));
    };
    if (in.isReadable()) {
      throw new IllegalArgumentException(in.readableBytes() + " byte(s) left after a " + record.getClass()
          .getSimpleName() + " record");
    }
    return record;
  }
}
