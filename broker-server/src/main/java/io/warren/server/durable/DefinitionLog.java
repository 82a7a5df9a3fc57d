package io.warren.server.durable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.warren.routing.Binding;
import io.warren.routing.Exchange;
import io.warren.store.QueueSettings;
import io.warren.store.durable.MessageStore;

/**
 * Appends typed definition records and snapshots to the store's log ({@link DefinitionCodec} has the framing).
 * Callers hold the lock of what they change while changing it and logging it (a vhost's monitor for its topology,
 * the registry's for the registry), so the log's order is the order the changes were made in. Any thread; never
 * blocks on the disk (callers that must not acknowledge before the record is durable wait on {@link
 * MessageStore#syncedTo}).
 */
public final class DefinitionLog {
  private final MessageStore store;

  public DefinitionLog(MessageStore store) {
    this.store = store;
  }

  public MessageStore store() {
    return store;
  }

  public void exchangeDeclared(String vhost, Exchange e) {
    append(new TopologyRecords.ExchangeDeclared(vhost, e));
  }

  public void exchangeDeleted(String vhost, String name) {
    append(new TopologyRecords.ExchangeDeleted(vhost, name));
  }

  public void queueDeclared(String vhost, QueueSettings s) {
    append(new TopologyRecords.QueueDeclared(vhost, s));
  }

  public void queueDeleted(String vhost, String name) {
    append(new TopologyRecords.QueueDeleted(vhost, name));
  }

  public void bound(String vhost, Binding b) {
    append(new TopologyRecords.Bound(vhost, b));
  }

  public void unbound(String vhost, Binding b) {
    append(new TopologyRecords.Unbound(vhost, b));
  }

  /** The position of the last record appended: tx.commit waits for the log to be durable up to it. */
  public long endPosition() {
    return store.endPosition();
  }

  /** Appends one record; returns its position. */
  public long append(DefinitionRecord record) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer();
    try {
      DefinitionCodec.encode(record, buf);
      return store.appendDefinition(buf);
    } finally {
      buf.release();
    }
  }

  /** Appends a snapshot of every durable definition; returns its position. */
  public long writeSnapshot(DefinitionsSnapshot snapshot) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer();
    try {
      DefinitionCodec.encode(snapshot, buf);
      return store.appendSnapshot(buf);
    } finally {
      buf.release();
    }
  }
}
