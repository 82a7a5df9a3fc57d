package io.warren.ctl;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few Erlang expressions of operators' runbooks (and RabbitMQ's client test suites) that warrenctl's eval
 * understands, because Warren has a runtime operation that does the same:
 * <pre>
 *   rabbit_alarm:set_alarm({{resource_limit, memory, node()}, []}).     (memory or disk)
 *   rabbit_alarm:clear_alarm({resource_limit, memory, node()}).
 *   application:set_env(rabbit, channel_max, 2048).                     (0: the configured value)
 * </pre>
 * Parsed strictly, token by token, with any whitespace between tokens and an optional final dot; anything else is
 * not understood (Warren is not an Erlang node). Stateless; any thread.
 */
sealed interface EvalForm {
  /** The forms, for messages. */
  String KNOWN = "rabbit_alarm:set_alarm({{resource_limit, memory|disk, node()}, []}), "
      + "rabbit_alarm:clear_alarm({resource_limit, memory|disk, node()}), "
      + "application:set_env(rabbit, channel_max, N)";

  /** rabbit_alarm:set_alarm / clear_alarm of a resource alarm on this node. */
  record Alarm(String resource, boolean raise) implements EvalForm {
  }

  /** application:set_env(rabbit, channel_max, N). */
  record ChannelMax(long value) implements EvalForm {
  }

  Pattern SET_ALARM = tokens("rabbit_alarm : set_alarm ( { { resource_limit , (memory|disk) , node ( ) } , [ ] } ) ");
  Pattern CLEAR_ALARM = tokens("rabbit_alarm : clear_alarm ( { resource_limit , (memory|disk) , node ( ) } ) ");
  Pattern CHANNEL_MAX = tokens("application : set_env ( rabbit , channel_max , ([0-9]{1,18}) ) ");

  /** The form {@code expression} is, or null when it is none of them. */
  static EvalForm parse(String expression) {
    Matcher m = SET_ALARM.matcher(expression);
    if (m.matches()) {
      return new Alarm(m.group(1), true);
    }
    m = CLEAR_ALARM.matcher(expression);
    if (m.matches()) {
      return new Alarm(m.group(1), false);
    }
    m = CHANNEL_MAX.matcher(expression);
    if (m.matches()) {
      return new ChannelMax(Long.parseLong(m.group(1)));
    }
    return null;
  }

  /**
   * A pattern from space-separated tokens: punctuation is quoted, a group stays a group, and whitespace may come
   * before, between and after the tokens, then an optional dot.
   */
  private static Pattern tokens(String spec) {
    StringBuilder regex = new StringBuilder("\\s*");
    for (String token : spec.trim().split(" ")) {
      regex.append(token.startsWith("(") && token.length() > 1 ? token : Pattern.quote(token)).append("\\s*");
    }
    return Pattern.compile(regex.append("\\.?\\s*").toString());
  }
}
