package io.warren.server.registry;

import io.warren.routing.Binding;
import io.warren.routing.Exchange;
import io.warren.server.config.BrokerConfig;
import io.warren.server.durable.DefinitionModel;
import io.warren.server.schedule.Schedule;
import io.warren.server.vhost.BrokerVhost;
import io.warren.server.vhost.DeclaredQueue;
import io.warren.store.QueueSettings;
import io.warren.store.durable.MessageStore;
import io.warren.store.durable.RecoveredMessages;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the durable state at startup, before the listener binds: replays the log into a {@link DefinitionModel};
 * loads the registry from it, or, when the log holds no registry yet (a new data directory, or one written before
 * the registry existed), imports the configuration file's vhosts, users, permissions and policies; recreates each
 * vhost's durable exchanges, queues and bindings; puts each durable queue's surviving persistent messages back in
 * publish order (all marked redelivered: they may have been delivered before the crash) and the scheduler's; then
 * writes a fresh definitions snapshot and waits for it to be durable. Runs on the starting thread only.
 */
public final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  private Recovery() {}

  public static void recover(MessageStore store, Registry registry, BrokerConfig config, Schedule schedule)
      throws IOException {
    long started = System.nanoTime();
    DefinitionModel model = new DefinitionModel(Schedule.QUEUE);
    int queues = 0;
    long messages = 0;
    long scanned;
    try (RecoveredMessages recovered = store.recover(model)) {
      scanned = System.nanoTime();
      if (model.registry.defined()) {
        registry.load(model.registry);
        LOG.info("Registry recovered from the log ({} vhost(s), {} user(s), {} policy(ies)); the log is the truth: the "
            + "vhosts, users, permissions and policies of the configuration file are not read again",
            model.registry.vhosts.size(), model.registry.users.size(), model.registry.policies.size());
      } else {
        registry.load(ConfigImport.content(config));
        LOG.info("No registry in the log yet: imported {} vhost(s), {} user(s), {} permission(s) and {} policy(ies) "
            + "from the configuration file; from now on the log is the truth", config.vhosts().size(),
            config.users().size(), config.permissions().size(), config.policies().all().size());
      }
      for (Map.Entry<String, DefinitionModel.Vhost> e : model.vhosts.entrySet()) {
        BrokerVhost vhost = registry.vhost(e.getKey());
        DefinitionModel.Vhost defs = e.getValue();
        if (vhost == null) {
          if (!defs.exchanges.isEmpty() || !defs.queues.isEmpty()) {
            LOG.warn("Ignoring the durable definitions of vhost '{}': it does not exist in the registry", e.getKey());
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
        for (BrokerVhost vhost : registry.liveVhosts()) {
          var scheduled = recovered.takeQueue(vhost.name(), Schedule.QUEUE);
          schedule.restore(vhost, scheduled);
          if (scheduled.size() > 0) {
            LOG.info("Recovered {} scheduled message(s) in vhost '{}'", scheduled.size(), vhost.name());
          }
        }
      }
    }
    long restored = System.nanoTime();
    registry.awaitDurable(registry.writeSnapshot());
    long end = System.nanoTime();
    LOG.info("Recovered {} durable queue(s) with {} message(s) from {} in {} ms (log read in {} ms, state rebuilt in {} "
        + "ms, definitions snapshot durable in {} ms; {} unreadable record(s) skipped)", queues, messages,
        store.log().directory(), (end - started) / 1_000_000, (scanned - started) / 1_000_000,
        (restored - scanned) / 1_000_000, (end - restored) / 1_000_000,
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
