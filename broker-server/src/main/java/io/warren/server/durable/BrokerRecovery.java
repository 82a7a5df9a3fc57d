package io.warren.server.durable;

import io.warren.routing.Binding;
import io.warren.routing.Exchange;
import io.warren.server.vhost.BrokerVhost;
import io.warren.server.vhost.DeclaredQueue;
import io.warren.store.QueueSettings;
import io.warren.store.durable.MessageStore;
import io.warren.store.durable.RecoveredMessages;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the durable state at startup, before the listener binds: replays the log into a
 * {@link DefinitionModel}, recreates the durable exchanges, queues and bindings in their (configured)
 * vhosts, puts each durable queue's surviving persistent messages back in publish order (all marked
 * redelivered: they may have been delivered before the crash), then writes a fresh definitions snapshot.
 * Runs on the starting thread only.
 */
public final class BrokerRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerRecovery.class);

  private BrokerRecovery() {}

  public static void recover(MessageStore store, DefinitionLog definitions, Map<String, BrokerVhost> vhosts)
      throws IOException {
    recover(store, definitions, vhosts, null);
  }

  /** As above, re-scheduling the delayed messages and retries of every configured vhost into {@code schedule}. */
  public static void recover(MessageStore store, DefinitionLog definitions, Map<String, BrokerVhost> vhosts,
      io.warren.server.schedule.Schedule schedule) throws IOException {
    long started = System.nanoTime();
    DefinitionModel model = new DefinitionModel();
    int queues = 0;
    long messages = 0;
    try (RecoveredMessages recovered = store.recover(model)) {
      for (Map.Entry<String, DefinitionModel.Vhost> e : model.vhosts.entrySet()) {
        BrokerVhost vhost = vhosts.get(e.getKey());
        DefinitionModel.Vhost defs = e.getValue();
        if (vhost == null) {
          if (!defs.exchanges.isEmpty() || !defs.queues.isEmpty()) {
            LOG.warn("Ignoring the durable definitions of vhost '{}': it is not configured any more", e.getKey());
          }
          continue;
        }
        restoreDefinitions(vhost, defs);
        for (QueueSettings s : defs.queues.values()) {
          DeclaredQueue q = vhost.queue(s.name());
          RecoveredMessages.RecoveredQueue held = recovered.takeQueue(vhost.name(), s.name());
          if (held.size() > 0) {
            q.queue().restore(held);
          }
          messages += held.size();
          queues++;
        }
      }
      if (schedule != null) {
        for (BrokerVhost vhost : vhosts.values()) {
          var scheduled = recovered.takeQueue(vhost.name(), io.warren.server.schedule.Schedule.QUEUE);
          schedule.restore(vhost, scheduled);
          if (scheduled.size() > 0) {
            LOG.info("Recovered {} scheduled message(s) in vhost '{}'", scheduled.size(), vhost.name());
          }
        }
      }
    }
    definitions.writeSnapshot(List.copyOf(vhosts.values()));
    LOG.info("Recovered {} durable queue(s) with {} message(s) from {} in {} ms ({} unreadable record(s) skipped)",
        queues, messages, store.log().directory(), (System.nanoTime() - started) / 1_000_000,
        store.skippedRecords() + store.log().recovery().skipped().size());
  }

  private static void restoreDefinitions(BrokerVhost vhost, DefinitionModel.Vhost defs) {
    for (Exchange x : defs.exchanges.values()) {
      try {
        vhost.routing().declareExchange(x);
      } catch (RuntimeException ex) {
        LOG.warn("Cannot restore exchange '{}' in vhost '{}': {}", x.name(), vhost.name(), ex.toString());
      }
    }
    for (QueueSettings s : defs.queues.values()) {
      vhost.restore(s);
    }
    for (Binding b : defs.bindings) {
      try {
        vhost.routing().bind(b);
      } catch (RuntimeException ex) {
        LOG.warn("Cannot restore binding {} in vhost '{}': {}", b, vhost.name(), ex.toString());
      }
    }
  }
}
