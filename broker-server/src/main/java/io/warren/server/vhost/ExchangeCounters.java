package io.warren.server.vhost;

import io.warren.management.spi.MessageCounters;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message counters of a vhost's exchanges (publish_in, publish_out), by exchange name. An exchange gets its
 * counters at its first publish; after that a publish costs a map read and two counter adds, with no allocation or
 * lock. Counters of an exchange are dropped when it is deleted (or auto-deleted); a deleted vhost drops them all
 * with itself. Any thread.
 */
public final class ExchangeCounters {
  private final ConcurrentHashMap<String, MessageCounters> byName = new ConcurrentHashMap<>();

  /** The exchange's counters, created on first use; call only for an exchange that exists. */
  public MessageCounters of(String exchange) {
    MessageCounters c = byName.get(exchange);
    return c != null ? c : byName.computeIfAbsent(exchange, k -> new MessageCounters());
  }

  /** The exchange's counters, or null if nothing was ever published to it. */
  public MessageCounters find(String exchange) {
    return byName.get(exchange);
  }

  void deleted(String exchange) {
    byName.remove(exchange);
  }
}
