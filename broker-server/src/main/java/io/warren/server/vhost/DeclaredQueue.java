package io.warren.server.vhost;

import io.warren.store.MessageQueue;
import io.warren.store.QueueSettings;

/**
 * A queue as the vhost knows it: the store's queue plus the connection that owns it when exclusive. Immutable; any
 * thread.
 *
 * @param owner the owning connection of an exclusive queue, null otherwise
 */
public record DeclaredQueue(MessageQueue queue, QueueSettings settings, Object owner) {
  public String name() {
    return settings.name();
  }

  public boolean ownedByOther(Object connection) {
    return owner != null && owner != connection;
  }
}
