package io.warren.management.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * RabbitMQ's binding "properties key": "~" for no routing key and no arguments, the routing key encoded as RabbitMQ
 * encodes it (letters, digits, '-', '_' and '.' kept, space as '+', the rest %XX) when there are no arguments, else
 * that, "~" and RabbitMQ's hash of the arguments (so a key computed by RabbitMQ for the same binding is the same).
 * It names a binding in a URL
 * (DELETE /api/bindings/{vhost}/e/{source}/q/{queue}/{props}). Pure.
 */
public final class BindingKey {
  private BindingKey() {
  }

  public static String of(String routingKey, Map<String, Object> arguments) {
    if (arguments == null || arguments.isEmpty()) {
      return routingKey.isEmpty() ? "~" : quotePlus(routingKey);
    }
    return quotePlus(routingKey) + "~" + argumentsHash(arguments);
  }

  /**
   * Arguments received as JSON with their whole numbers as longs, as RabbitMQ (and the broker) store a binding made
   * over HTTP: {"x-n": 1} is {@code long} there, where the Java client's Integer is {@code signedint}.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> asStored(Map<String, Object> json) {
    if (json == null || json.isEmpty()) {
      return json;
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    json.forEach((k, v) -> out.put(k, storedValue(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object storedValue(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof java.math.BigInteger) {
      return ((Number) v).longValue();
    }
    if (v instanceof Map<?, ?> m) {
      return asStored((Map<String, Object>) m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(x -> out.add(storedValue(x)));
      return out;
    }
    return v;
  }

  static String quotePlus(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.') {
        sb.append((char) c);
      } else if (c == ' ') {
        sb.append('+');
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }

  /**
   * RabbitMQ's: base64url (unpadded) of the 4 big-endian bytes of {@code erlang:phash2(Args, 1 bsl 32)}, where Args is
   * the argument table as RabbitMQ keeps it: {Name, Type, Value} triples sorted by name.
   */
  static String argumentsHash(Map<String, Object> arguments) {
    long h = TermHash.phash2(table(arguments, true));
    byte[] four = {(byte) (h >>> 24), (byte) (h >>> 16), (byte) (h >>> 8), (byte) h};
    return Base64.getUrlEncoder().withoutPadding().encodeToString(four);
  }

  /** A field table as RabbitMQ's list of {Name, Type, Value}; only the top level is sorted, as RabbitMQ sorts it. */
  private static List<Object> table(Map<String, Object> arguments, boolean sorted) {
    List<Map.Entry<String, Object>> entries = new ArrayList<>(arguments.entrySet());
    if (sorted) {
      entries.sort((x, y) -> Arrays.compareUnsigned(utf8(x.getKey()), utf8(y.getKey())));
    }
    List<Object> out = new ArrayList<>(entries.size());
    for (Map.Entry<String, Object> e : entries) {
      Object[] typed = typed(e.getValue());
      out.add(new Object[] {utf8(e.getKey()), typed[0], typed[1]});
    }
    return out;
  }

  /**
   * {Type, Value} of one argument as RabbitMQ would have it from a client: strings are longstr, whole numbers that
   * fit 32 bits signedint (the Java client's Integer) and others long, booleans bool, fractions double.
   */
  @SuppressWarnings("unchecked")
  private static Object[] typed(Object v) {
    if (v instanceof String s) {
      return new Object[] {atom("longstr"), utf8(s)};
    }
    if (v instanceof Boolean b) {
      return new Object[] {atom("bool"), atom(b.toString())};
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return new Object[] {atom("signedint"), ((Number) v).longValue()};
    }
    if (v instanceof Long l) {
      return new Object[] {atom("long"), l};
    }
    if (v instanceof java.math.BigInteger b) {
      return new Object[] {atom("long"), b};
    }
    if (v instanceof Number n) {
      return new Object[] {atom("double"), n.doubleValue()};
    }
    if (v instanceof Map<?, ?> m) {
      return new Object[] {atom("table"), table((Map<String, Object>) m, false)};
    }
    if (v instanceof List<?> l) {
      List<Object> items = new ArrayList<>(l.size());
      for (Object item : l) {
        items.add(typed(item));
      }
      return new Object[] {atom("array"), items};
    }
    return new Object[] {atom("void"), atom("undefined")};
  }

  private static TermHash.Atom atom(String name) {
    return new TermHash.Atom(name);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
