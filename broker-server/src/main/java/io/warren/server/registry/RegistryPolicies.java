package io.warren.server.registry;

import io.warren.server.config.Policies;
import io.warren.server.config.Policy;
import io.warren.server.config.PolicyDefinition;
import io.warren.server.durable.PolicyRecords.PolicySet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.warren.server.vhost.BrokerVhost;

/**
 * The registry's policies compiled per vhost for the AMQP side (replaced whole on every change, read lock-free), their
 * validation, and their re-application to the queues of a vhost when they change. Any thread.
 */
final class RegistryPolicies {
  private final Registry registry;
  private volatile Map<String, Policies> byVhost = Map.of();

  RegistryPolicies(Registry registry) {
    this.registry = registry;
  }

  Policies of(String vhost) {
    return byVhost.getOrDefault(vhost, Policies.NONE);
  }

  /** Recompiles from the registry's records (in their order: equal priorities keep it). */
  void rebuild(Collection<PolicySet> records) {
    Map<String, List<Policy>> lists = new HashMap<>();
    for (PolicySet p : records) {
      lists.computeIfAbsent(p.vhost(), v -> new ArrayList<>()).add(DefinitionRules.toPolicy(p));
    }
    Map<String, Policies> compiled = new HashMap<>();
    lists.forEach((vhost, list) -> compiled.put(vhost, new Policies(list)));
    byVhost = Map.copyOf(compiled);
  }

  /** Makes a policy's queues and exchanges follow the vhost's policies as they are now. */
  void reapply(String vhost) {
    BrokerVhost v = registry.vhost(vhost);
    if (v == null) {
      return;
    }
    try {
      v.reapplyFeatures().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new RegistryException("the policy is stored, but applying it to the queues of vhost '" + vhost
          + "' failed: " + e, e);
    }
  }

  /** Checks a policy as RabbitMQ does; the message names what is wrong. */
  static PolicySet validate(String vhost, String name, String pattern, String applyTo, int priority,
      Map<String, Object> definition) {
    if (pattern == null) {
      throw new InvalidDefinitionException("policy '" + name + "': pattern is missing");
    }
    DefinitionRules.compile(pattern);
    String to = applyTo == null ? "all" : applyTo;
    try {
      Policy.ApplyTo.of(to);
    } catch (IllegalArgumentException e) {
      throw new InvalidDefinitionException(e.getMessage());
    }
    if (definition == null) {
      throw new InvalidDefinitionException("policy '" + name + "': definition is missing");
    }
    try {
      return new PolicySet(vhost, name, pattern, to, priority, PolicyDefinition.parse(definition));
    } catch (IllegalArgumentException e) {
      throw new InvalidDefinitionException(e.getMessage(), e);
    }
  }
}
