package io.warren.server.vhost;

import io.warren.amqp.ByteArray;
import io.warren.amqp.LongString;
import io.warren.amqp.Timestamp;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts AMQP field-table values to JSON-friendly ones and back, the way RabbitMQ's HTTP API shows and accepts
 * arguments and headers: long strings as strings, timestamps as seconds, byte arrays as base64; JSON strings become
 * long strings, JSON whole numbers longs (whatever their size, as RabbitMQ types them) and fractions doubles. Pure.
 */
public final class FieldJson {
  private FieldJson() {
  }

  public static Map<String, Object> of(Map<String, Object> table) {
    if (table == null || table.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    table.forEach((k, v) -> out.put(k, value(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  public static Object value(Object v) {
    if (v instanceof LongString s) {
      return s.utf8();
    }
    if (v instanceof Timestamp t) {
      return t.seconds();
    }
    if (v instanceof ByteArray a) {
      return Base64.getEncoder().encodeToString(a.bytes());
    }
    if (v instanceof byte[] a) {
      return Base64.getEncoder().encodeToString(a);
    }
    if (v instanceof BigDecimal d) {
      return d.doubleValue();
    }
    if (v instanceof Map<?, ?> m) {
      return of((Map<String, Object>) m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(x -> out.add(value(x)));
      return out;
    }
    if (v instanceof Object[] a) {
      return value(List.of(a));
    }
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v;
    }
    return v.toString();
  }

  /**
   * JSON arguments as a field table, typed as RabbitMQ types what its HTTP API and definitions import receive: strings
   * long strings, whole numbers {@code long} (so a binding's properties key and stored type are RabbitMQ's), fractions
   * doubles, objects tables, lists arrays.
   */
  public static Map<String, Object> toTable(Map<String, Object> json) {
    if (json == null || json.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    json.forEach((k, v) -> out.put(k, toField(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object toField(Object v) {
    if (v instanceof String s) {
      return LongString.of(s);
    }
    if (v instanceof Map<?, ?> m) {
      return toTable((Map<String, Object>) m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(x -> out.add(toField(x)));
      return out;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof java.math.BigInteger) {
      return ((Number) v).longValue();
    }
    return v;
  }
}
