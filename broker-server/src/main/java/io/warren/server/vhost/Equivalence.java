package io.warren.server.vhost;

import io.warren.amqp.LongString;
import io.warren.amqp.ChannelException;
import io.warren.amqp.generated.ReplyCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Redeclaration checks with RabbitMQ's "inequivalent arg" texts. Stateless; any thread. */
final class Equivalence {
  /**
   * The arguments a classic queue understands, in the order RabbitMQ checks them. Others are ignored on redeclaration,
   * as RabbitMQ does, so that clients adding their own keys (or a key RabbitMQ added later) still redeclare.
   */
  static final List<String> QUEUE_ARGUMENTS = List.of("x-expires", "x-message-ttl", "x-dead-letter-exchange",
      "x-dead-letter-routing-key", "x-max-length", "x-max-length-bytes", "x-max-priority", "x-overflow",
      "x-queue-mode", "x-queue-version", "x-single-active-consumer", "x-queue-type", "x-queue-master-locator",
      // RabbitMQ's quorum queues check x-delivery-limit; Warren's x-retry-* change behaviour as much (an extension)
      "x-delivery-limit", "x-retry-max", "x-retry-initial-delay", "x-retry-multiplier", "x-retry-max-delay");

  private Equivalence() {}

  static void check(String what, String name, String vhost, String arg, Object received, Object current) {
    if (!Objects.equals(received, current)) {
      throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "inequivalent arg '" + arg + "' for " + what + " '"
          + name + "' in vhost '" + vhost + "': received '" + received + "' but current is '" + current + "'");
    }
  }

  /**
   * Compares the {@code keys} of two argument tables as RabbitMQ's {@code rabbit_misc:assert_args_equivalence}:
   * integers of any width are equal by value, and a missing classic x-queue-type equals "classic".
   */
  static void checkArguments(String what, String name, String vhost, Map<String, Object> received,
      Map<String, Object> current, List<String> keys) {
    for (String key : keys) {
      Object r = received.get(key);
      Object c = current.get(key);
      if (equivalent(key, r, c)) {
        continue;
      }
      // both present: RabbitMQ prints the bare values; one missing: the other's value and field type
      boolean both = r != null && c != null;
      throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "inequivalent arg '" + key + "' for " + what
          + " '" + name + "' in vhost '" + vhost + "': received " + describe(r, both) + " but current is "
          + describe(c, both));
    }
  }

  private static boolean equivalent(String key, Object r, Object c) {
    if (r == null || c == null) {
      Object present = r == null ? c : r;
      return present == null || ("x-queue-type".equals(key) && "classic".equals(String.valueOf(present)));
    }
    BigInteger ri = integer(r);
    BigInteger ci = integer(c);
    if (ri != null || ci != null) {
      return ri != null && ri.equals(ci);
    }
    if (r instanceof Number && c instanceof Number && isFloat(r) == isFloat(c)) {
      return ((Number) r).doubleValue() == ((Number) c).doubleValue();
    }
    if ((r instanceof LongString || r instanceof String) && (c instanceof LongString || c instanceof String)) {
      return r.toString().equals(c.toString());
    }
    return r.equals(c);
  }

  private static boolean isFloat(Object v) {
    return v instanceof Float || v instanceof Double;
  }

  /** The value of an integer field of any width (decimal counts as one in RabbitMQ), or null. */
  private static BigInteger integer(Object v) {
    Long i = FieldTypes.integer(v);
    if (i != null) {
      return BigInteger.valueOf(i);
    }
    if (v instanceof BigDecimal d && d.scale() <= 0) {
      return d.toBigIntegerExact();
    }
    return null;
  }

  private static String describe(Object v, boolean bare) {
    if (v == null) {
      return "none";
    }
    String value = FieldTypes.print(v);
    return bare ? "'" + value + "'" : "the value '" + value + "' of type '" + FieldTypes.name(v) + "'";
  }
}
