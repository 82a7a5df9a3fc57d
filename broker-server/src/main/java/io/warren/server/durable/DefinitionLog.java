package io.warren.server.durable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.warren.amqp.FieldTable;
import io.warren.routing.Binding;
import io.warren.routing.Exchange;
import io.warren.server.vhost.BrokerVhost;
import io.warren.store.QueueSettings;
import io.warren.store.durable.MessageStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes durable definition changes and snapshots to the store's log ({@link DefinitionCodec} has the
 * format). Callers hold the vhost's lock while changing a definition and logging it, so the log's order
 * is the order the changes were made in. Any thread; never blocks on the disk.
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
    append(DefinitionCodec.change("declare-exchange", vhost, DefinitionCodec.exchange(e)));
  }

  public void exchangeDeleted(String vhost, String name) {
    append(DefinitionCodec.change("delete-exchange", vhost, DefinitionCodec.named(name)));
  }

  public void queueDeclared(String vhost, QueueSettings s) {
    append(DefinitionCodec.change("declare-queue", vhost, DefinitionCodec.queue(s)));
  }

  public void queueDeleted(String vhost, String name) {
    append(DefinitionCodec.change("delete-queue", vhost, DefinitionCodec.named(name)));
  }

  public void bound(String vhost, Binding b) {
    append(DefinitionCodec.change("bind", vhost, DefinitionCodec.binding(b)));
  }

  public void unbound(String vhost, Binding b) {
    append(DefinitionCodec.change("unbind", vhost, DefinitionCodec.binding(b)));
  }

  /** The position of the last record appended: tx.commit waits for the log to be durable up to it. */
  public long endPosition() {
    return store.endPosition();
  }

  /**
   * Appends one snapshot of every durable definition of every vhost, holding all their locks (in list
   * order; nothing else takes two vhost locks) so that no change slips between the reading and the
   * appending. Returns its position.
   */
  public long writeSnapshot(List<BrokerVhost> vhosts) {
    List<Object> entries = new ArrayList<>();
    return lockAll(vhosts, 0, entries);
  }

  private long lockAll(List<BrokerVhost> vhosts, int i, List<Object> entries) {
    if (i == vhosts.size()) {
      ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer();
      try {
        FieldTable.encode(Map.of("vhosts", entries), buf);
        return store.appendSnapshot(buf);
      } finally {
        buf.release();
      }
    }
    BrokerVhost v = vhosts.get(i);
    synchronized (v) {
      entries.add(v.durableDefinitions());
      return lockAll(vhosts, i + 1, entries);
    }
  }

  private void append(Map<String, Object> change) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer();
    try {
      FieldTable.encode(change, buf);
      store.appendDefinition(buf);
    } finally {
      buf.release();
    }
  }
}
