package io.warren.server.registry;

import io.warren.server.durable.DefinitionLog;
import io.warren.server.durable.DefinitionRecord;
import io.warren.server.durable.DefinitionsSnapshot;
import io.warren.server.durable.RegistryContent;
import io.warren.server.vhost.BrokerVhost;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The registry's side of the definition log: appending a change record, waiting until it is durable, and writing a
 * snapshot of every definition. Appends and snapshots are called under the registry's monitor; waiting, outside it.
 * Thread-safe.
 */
final class DefinitionWrites {
  static final long DURABLE_TIMEOUT_SECONDS = 30;
  private final DefinitionLog log;

  DefinitionWrites(DefinitionLog log) {
    this.log = log;
  }

  /** Appends the record; returns its position for {@link #awaitDurable}. */
  long append(DefinitionRecord record) {
    return log.append(record);
  }

  /**
   * Appends a snapshot of the registry's content and each vhost's durable topology, holding every vhost's monitor in
   * turn (the caller holds the registry's; nothing else holds two vhost monitors), so that no change slips between
   * reading and appending. Returns its position.
   */
  long writeSnapshot(RegistryContent content, List<BrokerVhost> vhosts) {
    return lockAll(content, vhosts, 0, new ArrayList<>());
  }

  private long lockAll(RegistryContent content, List<BrokerVhost> vhosts, int i,
      List<DefinitionsSnapshot.Topology> topologies) {
    if (i == vhosts.size()) {
      return log.writeSnapshot(content.snapshot(topologies));
    }
    BrokerVhost v = vhosts.get(i);
    synchronized (v) {
      topologies.add(v.durableDefinitions());
      return lockAll(content, vhosts, i + 1, topologies);
    }
  }

  /** Waits until everything appended to the log up to {@code position} is durable (negative: nothing to wait for). */
  void awaitDurable(long position) {
    if (position < 0) {
      return;
    }
    try {
      log.store().syncedTo(position).get(DURABLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted waiting for the definition log");
    } catch (Exception e) {
      throw new RegistryException("the definition log could not be written: " + e.getMessage(), e);
    }
  }
}
