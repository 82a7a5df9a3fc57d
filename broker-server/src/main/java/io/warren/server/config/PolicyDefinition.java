package io.warren.server.config;

import com.typesafe.config.Config;
import io.warren.store.Overflow;
import java.util.Map;

/**
 * What a policy sets, under RabbitMQ's policy key names; a null field is not set. Validated as RabbitMQ validates
 * policy definitions (same bounds, same "... is not a valid ..." wording). Immutable; any thread.
 *
 * @param maxPriority a Warren extension: RabbitMQ accepts {@code max-priority} only as a queue argument
 * @param retryMax Warren's {@code retry-*} keys mirror its {@code x-retry-*} queue arguments
 * @param alternateExchange applies to exchanges only
 */
public record PolicyDefinition(Long messageTtl, Long expires, Long maxLength, Long maxLengthBytes, Overflow overflow,
    String deadLetterExchange, String deadLetterRoutingKey, Long deliveryLimit, Long consumerTimeout,
    Integer maxPriority, Integer retryMax, Long retryInitialDelay, Double retryMultiplier, Long retryMaxDelay,
    String alternateExchange) {

  /** RabbitMQ's upper bound for TTLs and expiries (rabbit_misc:check_expiry). */
  public static final long MAX_EXPIRY = 4294967295L;

  /** Parses a {@code definition} object; throws IllegalArgumentException naming the bad key. */
  static PolicyDefinition parse(Config definition) {
    return parse(definition.root().unwrapped());
  }

  /**
   * Parses a definition given as RabbitMQ's policy keys and JSON-like values (Integer, Long, Double, String); throws
   * IllegalArgumentException naming the bad key.
   */
  public static PolicyDefinition parse(Map<String, Object> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("definition must set at least one key");
    }
    for (String key : keys.keySet()) {
      if (!KNOWN.contains(key)) {
        throw new IllegalArgumentException("definition." + key + ": " + (key.equals("single-active-consumer")
            ? "not allowed in a policy (as in RabbitMQ, only the x-single-active-consumer queue argument sets it)"
            : "unknown policy key"));
      }
    }
    return new PolicyDefinition(
        integer(keys, "message-ttl", 0, MAX_EXPIRY, "message TTL"),
        integer(keys, "expires", 1, MAX_EXPIRY, "queue expiry"),
        integer(keys, "max-length", 0, Long.MAX_VALUE, "maximum length"),
        integer(keys, "max-length-bytes", 0, Long.MAX_VALUE, "maximum length in bytes"),
        overflow(keys),
        string(keys, "dead-letter-exchange", "dead letter exchange name"),
        string(keys, "dead-letter-routing-key", "dead letter routing key"),
        integer(keys, "delivery-limit", 0, Long.MAX_VALUE, "delivery limit"),
        integer(keys, "consumer-timeout", 0, Long.MAX_VALUE, "consumer timeout"),
        toInt(integer(keys, "max-priority", 0, 255, "maximum priority")),
        toInt(integer(keys, "retry-max", 1, Integer.MAX_VALUE, "retry maximum")),
        integer(keys, "retry-initial-delay", 0, Long.MAX_VALUE, "retry initial delay"),
        multiplier(keys),
        integer(keys, "retry-max-delay", 0, Long.MAX_VALUE, "retry maximum delay"),
        string(keys, "alternate-exchange", "alternate exchange name"));
  }

  private static final java.util.Set<String> KNOWN = java.util.Set.of("message-ttl", "expires", "max-length",
      "max-length-bytes", "overflow", "dead-letter-exchange", "dead-letter-routing-key", "delivery-limit",
      "consumer-timeout", "max-priority", "retry-max", "retry-initial-delay", "retry-multiplier", "retry-max-delay",
      "alternate-exchange");

  /** The definition under RabbitMQ's key names, as the management API shows it (keys that are set, in order). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    put(m, "message-ttl", messageTtl);
    put(m, "expires", expires);
    put(m, "max-length", maxLength);
    put(m, "max-length-bytes", maxLengthBytes);
    put(m, "overflow", overflow == null ? null : overflow.argument());
    put(m, "dead-letter-exchange", deadLetterExchange);
    put(m, "dead-letter-routing-key", deadLetterRoutingKey);
    put(m, "delivery-limit", deliveryLimit);
    put(m, "consumer-timeout", consumerTimeout);
    put(m, "max-priority", maxPriority);
    put(m, "retry-max", retryMax);
    put(m, "retry-initial-delay", retryInitialDelay);
    put(m, "retry-multiplier", retryMultiplier);
    put(m, "retry-max-delay", retryMaxDelay);
    put(m, "alternate-exchange", alternateExchange);
    return m;
  }

  private static void put(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  /** Whether any key applies to queues (all but alternate-exchange). */
  public boolean setsQueueKeys() {
    return messageTtl != null || expires != null || maxLength != null || maxLengthBytes != null || overflow != null
        || deadLetterExchange != null || deadLetterRoutingKey != null || deliveryLimit != null
        || consumerTimeout != null || maxPriority != null || retryMax != null || retryInitialDelay != null
        || retryMultiplier != null || retryMaxDelay != null;
  }

  private static Long integer(Map<String, Object> keys, String key, long min, long max, String what) {
    Object v = keys.get(key);
    if (v == null) {
      return null;
    }
    Object raw = v;
    if ((raw instanceof Integer || raw instanceof Long) && ((Number) raw).longValue() >= min
        && ((Number) raw).longValue() <= max) {
      return ((Number) raw).longValue();
    }
    throw invalid(key, v, what);
  }

  private static Integer toInt(Long v) {
    return v == null ? null : v.intValue();
  }

  private static String string(Map<String, Object> keys, String key, String what) {
    Object v = keys.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    throw invalid(key, v, what);
  }

  private static Overflow overflow(Map<String, Object> keys) {
    String s = string(keys, "overflow", "overflow value");
    if (s == null) {
      return null;
    }
    Overflow o = Overflow.of(s);
    if (o == null) {
      throw invalid("overflow", keys.get("overflow"), "overflow value");
    }
    return o;
  }

  private static Double multiplier(Map<String, Object> keys) {
    Object v = keys.get("retry-multiplier");
    if (v == null) {
      return null;
    }
    if (v instanceof Number n && n.doubleValue() >= 1.0 && !Double.isInfinite(n.doubleValue())) {
      return n.doubleValue();
    }
    throw invalid("retry-multiplier", v, "retry multiplier (a number >= 1)");
  }

  private static IllegalArgumentException invalid(String key, Object v, String what) {
    String rendered = v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    return new IllegalArgumentException("definition." + key + ": " + rendered + " is not a valid " + what);
  }
}
