package io.warren.server.schedule;

import io.warren.amqp.LongString;
import io.warren.amqp.UnsignedByte;
import io.warren.amqp.UnsignedInt;
import io.warren.amqp.UnsignedShort;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code x-delay} header as the RabbitMQ delayed-message plugin reads it (rabbit_delayed_message_utils): any
 * integer type is taken as it is, a string is parsed as an integer, a float or decimal is truncated; anything else,
 * or a delay outside 1..4294967295 ms (Erlang's longest timer), means "route at once". Stateless; any thread.
 */
public final class DelayHeader {
  public static final String X_DELAY = "x-delay";
  /** The plugin's upper bound: longer delays are not delayed at all. */
  static final long MAX_DELAY = 4_294_967_295L;

  private DelayHeader() {}

  /** The delay in ms the headers ask for, or 0 when the message is to be routed at once. */
  public static long delay(Map<String, Object> headers) {
    if (headers == null) {
      return 0;
    }
    long delay = millis(headers.get(X_DELAY));
    return delay > 0 && delay <= MAX_DELAY ? delay : 0;
  }

  private static long millis(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof UnsignedByte b) {
      return b.value();
    }
    if (v instanceof UnsignedShort s) {
      return s.value();
    }
    if (v instanceof UnsignedInt i) {
      return i.value();
    }
    if (v instanceof LongString || v instanceof String) {
      try {
        return Long.parseLong(v.toString().trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? (long) d : 0;
    }
    if (v instanceof BigDecimal d) {
      return d.longValue();
    }
    return 0;
  }

  /**
   * The headers a due message is delivered with: {@code x-delay} set to minus the delay, as the plugin does, so it is
   * never delayed again (exchange-to-exchange) and consumers can tell it was delayed.
   */
  public static Map<String, Object> delivered(Map<String, Object> headers, long delay) {
    Map<String, Object> out = new LinkedHashMap<>(headers);
    out.put(X_DELAY, delay <= Integer.MAX_VALUE ? (Object) (int) -delay : (Object) (-delay));
    return out;
  }
}
