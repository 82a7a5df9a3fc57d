package io.warren.server.channel;

import io.warren.amqp.ChannelException;
import io.warren.amqp.generated.ReplyCode;

/**
 * The {@code expiration} property, parsed as RabbitMQ parses it ({@code rabbit_basic:parse_expiration}): a decimal
 * number of milliseconds, optionally signed, from 0 to 4294967295; anything else is refused with its 406 text.
 * Stateless; any thread.
 */
final class Expiration {
  private static final long MAX = 4294967295L;

  private Expiration() {}

  /** When a message published at {@code arrival} with this expiration expires (epoch ms). */
  static long expiresAt(String expiration, long arrival) {
    return arrival + millis(expiration);
  }

  /** @throws ChannelException 406 with RabbitMQ's text for an invalid value */
  static long millis(String expiration) {
    int i = 0;
    int n = expiration.length();
    boolean negative = false;
    if (i < n && (expiration.charAt(i) == '+' || expiration.charAt(i) == '-')) {
      negative = expiration.charAt(i) == '-';
      i++;
    }
    int digitsStart = i;
    long value = 0;
    boolean huge = false;
    while (i < n && expiration.charAt(i) >= '0' && expiration.charAt(i) <= '9') {
      if (value > Long.MAX_VALUE / 10 - 1) {
        huge = true; // Erlang integers have no limit: the value is merely too large
      } else {
        value = value * 10 + (expiration.charAt(i) - '0');
      }
      i++;
    }
    if (i == digitsStart) {
      throw invalid(expiration, "no_integer");
    }
    if (i < n) {
      // Erlang prints the rest as a string; quotes and backslashes escaped as ~p does
      String rest = expiration.substring(i).replace("\\", "\\\\").replace("\"", "\\\"");
      throw invalid(expiration, "{leftover_string,\"" + rest + "\"}");
    }
    String digits = expiration.substring(digitsStart, i).replaceFirst("^0+(?=.)", "");
    if (negative && !(value == 0 && !huge)) {
      throw invalid(expiration, "{value_negative,-" + digits + "}");
    }
    if (huge || value > MAX) {
      throw invalid(expiration, "{value_too_large," + digits + "}");
    }
    return value;
  }

  private static ChannelException invalid(String expiration, String reason) {
    return new ChannelException(ReplyCode.PRECONDITION_FAILED, "invalid expiration '" + expiration + "': " + reason,
        60, 40);
  }
}
