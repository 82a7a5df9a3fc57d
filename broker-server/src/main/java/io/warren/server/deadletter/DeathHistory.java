package io.warren.server.deadletter;

import io.warren.amqp.LongString;
import io.warren.amqp.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message's dead-letter history as RabbitMQ writes it into the headers: the {@code x-death} array (newest first, one
 * table per (queue, reason) whose {@code count} grows), {@code x-first-death-*} (set once) and {@code x-last-death-*}
 * (RabbitMQ 3.13+, set on every death). Also RabbitMQ's cycle rule. Stateless; any thread.
 */
final class DeathHistory {
  static final String X_DEATH = "x-death";

  private DeathHistory() {}

  /** What one death adds to the history. */
  record Death(String queue, String reason, String exchange, List<String> routingKeys, long timeSeconds,
      String originalExpiration) {

    /** A fresh x-death table, in RabbitMQ's field order. */
    Map<String, Object> table() {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("count", 1L);
      t.put("reason", reason);
      t.put("queue", queue);
      t.put("time", new Timestamp(timeSeconds));
      t.put("exchange", exchange);
      t.put("routing-keys", List.copyOf(routingKeys));
      if (originalExpiration != null) {
        t.put("original-expiration", originalExpiration);
      }
      return t;
    }
  }

  /** The headers after {@code death}: a new, mutable copy of {@code headers}. */
  static Map<String, Object> record(Map<String, Object> headers, Death death) {
    Map<String, Object> out = new LinkedHashMap<>();
    Object previous = headers.get(X_DEATH);
    if (previous == null) {
      // the first death also gets its own top-level headers (rabbitmq-server#1332); x-death goes first, as RabbitMQ
      // prepends it
      out.put(X_DEATH, List.of(death.table()));
      out.putAll(headers);
      out.put("x-first-death-reason", death.reason());
      out.put("x-first-death-queue", death.queue());
      out.put("x-first-death-exchange", death.exchange());
    } else {
      out.putAll(headers);
      // anything but an array was put there by a client re-publishing a message: RabbitMQ starts again
      out.put(X_DEATH, previous instanceof List<?> entries ? update(entries, death) : List.of(death.table()));
    }
    out.put("x-last-death-reason", death.reason());
    out.put("x-last-death-queue", death.queue());
    out.put("x-last-death-exchange", death.exchange());
    return out;
  }

  /**
   * First every (queue, reason) pair is merged into one entry, its counts summed (a missing count is 1): histories
   * written by older brokers, or brought along by a client that re-published a message, may repeat a pair, and
   * RabbitMQ 3.10 groups them this way. Then the entry for the death's pair moves to the front with its count + 1,
   * keeping the rest of its fields (time stays the first such death's, as RabbitMQ); a new pair gets a new entry in
   * front.
   */
  private static List<Object> update(List<?> entries, Death death) {
    List<Object> out = new ArrayList<>(entries.size() + 1);
    Map<List<String>, Map<String, Object>> groups = new HashMap<>();
    for (Object e : entries) {
      String queue = e instanceof Map<?, ?> table ? text(table.get("queue")) : null;
      String reason = e instanceof Map<?, ?> table ? text(table.get("reason")) : null;
      if (queue == null || reason == null) {
        out.add(e); // not something a broker wrote: left as it is
        continue;
      }
      Map<?, ?> table = (Map<?, ?>) e;
      Map<String, Object> group = groups.get(List.of(queue, reason));
      if (group == null) {
        group = copy(table);
        group.put("count", countOf(table));
        groups.put(List.of(queue, reason), group);
        out.add(group);
      } else {
        group.put("count", (Long) group.get("count") + countOf(table));
      }
    }
    Map<String, Object> match = groups.get(List.of(death.queue(), death.reason()));
    if (match == null) {
      out.add(0, death.table());
    } else {
      out.remove(match);
      match.put("count", (Long) match.get("count") + 1);
      out.add(0, match);
    }
    return out;
  }

  private static long countOf(Map<?, ?> table) {
    return table.get("count") instanceof Number n ? n.longValue() : 1;
  }

  /**
   * RabbitMQ's cycle rule: dead-lettering into {@code queue} is a cycle when {@code queue} already appears in the
   * (updated) history and no death from the newest one up to and including that appearance was {@code rejected}.
   * Anything in the array that is not a table was put there by a client, so such a cycle is not "fully automatic"
   * and is allowed.
   */
  static boolean isCycle(String queue, List<?> deaths) {
    for (Object e : deaths) {
      if (!(e instanceof Map<?, ?> table) || "rejected".equals(text(table.get("reason")))) {
        return false;
      }
      if (queue.equals(text(table.get("queue")))) {
        return true;
      }
    }
    return false;
  }

  /** The queue names in the history, newest first (for the cycle log line). */
  static List<String> queues(List<?> deaths) {
    List<String> names = new ArrayList<>();
    for (Object e : deaths) {
      if (e instanceof Map<?, ?> table && text(table.get("queue")) != null) {
        names.add(text(table.get("queue")));
      }
    }
    return names;
  }

  private static String text(Object value) {
    return value instanceof LongString || value instanceof String ? value.toString() : null;
  }

  private static Map<String, Object> copy(Map<?, ?> table) {
    Map<String, Object> out = new LinkedHashMap<>();
    table.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }
}
