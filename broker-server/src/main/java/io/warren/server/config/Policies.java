package io.warren.server.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The configured policies. As in RabbitMQ, at most one policy applies to a queue or exchange: the matching one of
 * highest priority (ties: the one listed first). Immutable; any thread.
 */
public final class Policies {
  public static final Policies NONE = new Policies(List.of());

  /** Sorted by priority, highest first; stable, so equal priorities keep their configured order. */
  private final List<Policy> byPriority;

  public Policies(List<Policy> policies) {
    Set<String> names = new HashSet<>();
    for (Policy p : policies) {
      if (!names.add(p.vhost() + "\u0000" + p.name())) {
        throw new IllegalArgumentException("warren.policies: duplicate policy name '" + p.name() + "' in vhost '"
            + p.vhost() + "'");
      }
    }
    List<Policy> sorted = new ArrayList<>(policies);
    sorted.sort(Comparator.comparingInt(Policy::priority).reversed());
    this.byPriority = List.copyOf(sorted);
  }

  @Override
  public String toString() {
    return "Policies" + byPriority;
  }

  public List<Policy> all() {
    return byPriority;
  }

  public boolean isEmpty() {
    return byPriority.isEmpty();
  }

  /** The policies of one vhost (same order). */
  public Policies forVhost(String vhost) {
    return new Policies(byPriority.stream().filter(p -> p.vhost().equals(vhost)).toList());
  }

  /** The policy that applies to this queue of {@code vhost}, or null. */
  public Policy forQueue(String vhost, String queue) {
    for (Policy p : byPriority) {
      if (p.vhost().equals(vhost) && p.matchesQueue(queue)) {
        return p;
      }
    }
    return null;
  }

  /** The policy that applies to this exchange of {@code vhost}, or null. */
  public Policy forExchange(String vhost, String exchange) {
    for (Policy p : byPriority) {
      if (p.vhost().equals(vhost) && p.matchesExchange(exchange)) {
        return p;
      }
    }
    return null;
  }
}
