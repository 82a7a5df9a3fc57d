package io.warren.server.vhost;

import io.warren.management.spi.MessageCounters;
import io.warren.store.MessageQueue;
import io.warren.store.QueueSettings;

/**
 * A queue as the vhost knows it: the store's queue plus the connection that owns it when exclusive. Immutable; any
 * thread.
 *
 * @param owner the owning connection of an exclusive queue, null otherwise
 * @param counters the queue's message counters for the management API (incremented by channels, any thread)
 */
public record DeclaredQueue(MessageQueue queue, QueueSettings settings, Object owner, MessageCounters counters) {
  public DeclaredQueue(MessageQueue queue, QueueSettings settings, Object owner) {
    this(queue, settings, owner, new MessageCounters());
  }

  public String name() {
    return settings.name();
  }

  public boolean ownedByOther(Object connection) {
    return owner != null && owner != connection;
  }
}
