package io.warren.server.registry;

import io.warren.server.vhost.BrokerVhost;

/**
 * How the registry gets a running vhost made and unmade: the broker (the composition root) wires a new vhost's queues,
 * queue features and scheduler, and unwires a deleted one. Called under the registry's lock; must not block.
 */
public interface VhostLifecycle {
  BrokerVhost create(String name);

  /** A deleted vhost, after its queues' deletion has been started. */
  void deleted(BrokerVhost vhost);
}
