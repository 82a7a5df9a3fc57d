package io.warren.server.vhost;

import io.warren.amqp.ChannelException;
import io.warren.amqp.LongString;
import io.warren.amqp.generated.ReplyCode;
import io.warren.server.config.Policies;
import io.warren.server.config.Policy;
import io.warren.server.config.PolicyDefinition;
import io.warren.store.Overflow;
import io.warren.store.QueueFeatures;
import io.warren.store.QueueSettings;
import io.warren.store.RetryPolicy;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Turns a queue's x-arguments and its policy into the queue's {@link QueueFeatures}, refusing invalid arguments with
 * RabbitMQ's 406 texts ({@code rabbit_amqqueue:check_declare_arguments}, in its order). Stateless; any thread.
 */
public final class QueueArguments {
  private QueueArguments() {}

  /**
   * The effective features of a queue of {@code vhost}: its arguments over the matching policy of {@code policies}
   * (as RabbitMQ: the lower value for TTL, expiry, lengths and delivery limit; otherwise the argument).
   *
   * @throws ChannelException 406 for an invalid argument
   */
  public static QueueFeatures features(QueueSettings settings, String vhost, Policies policies) {
    Map<String, Object> args = settings.arguments();
    validate(args, "queue '" + settings.name() + "' in vhost '" + vhost + "'");
    Policy policy = policies.forQueue(vhost, settings.name());
    PolicyDefinition p = policy == null ? null : policy.definition();
    if (args.isEmpty() && p == null) {
      return QueueFeatures.NONE;
    }
    long ttl = lower(integer(args, "x-message-ttl"), p == null ? null : p.messageTtl());
    long expires = lower(integer(args, "x-expires"), p == null ? null : p.expires());
    long maxLength = lower(integer(args, "x-max-length"), p == null ? null : p.maxLength());
    long maxBytes = lower(integer(args, "x-max-length-bytes"), p == null ? null : p.maxLengthBytes());
    long deliveryLimit = lower(integer(args, "x-delivery-limit"), p == null ? null : p.deliveryLimit());
    Object overflowArg = args.get("x-overflow");
    Overflow overflow = overflowArg != null ? Overflow.of(overflowArg.toString()) : p == null ? null : p.overflow();
    String dlx = args.containsKey("x-dead-letter-exchange") ? args.get("x-dead-letter-exchange").toString()
        : p == null ? null : p.deadLetterExchange();
    String dlrk = args.containsKey("x-dead-letter-routing-key") ? args.get("x-dead-letter-routing-key").toString()
        : p == null ? null : p.deadLetterRoutingKey();
    Long maxPriority = or(integer(args, "x-max-priority"), p == null || p.maxPriority() == null ? null
        : (long) p.maxPriority());
    Long consumerTimeout = or(integer(args, "x-consumer-timeout"), p == null ? null : p.consumerTimeout());
    boolean sac = Boolean.TRUE.equals(args.get("x-single-active-consumer"));
    return new QueueFeatures(ttl, expires, maxLength, maxBytes, overflow, dlx, dlrk,
        maxPriority == null ? 0 : maxPriority.intValue(), deliveryLimit, consumerTimeout == null ? -1
        : consumerTimeout, sac, retry(args, p));
  }

  private static RetryPolicy retry(Map<String, Object> args, PolicyDefinition p) {
    Long max = or(integer(args, "x-retry-max"), p == null || p.retryMax() == null ? null : (long) p.retryMax());
    if (max == null) {
      return null;
    }
    Long initial = or(integer(args, "x-retry-initial-delay"), p == null ? null : p.retryInitialDelay());
    Long maxDelay = or(integer(args, "x-retry-max-delay"), p == null ? null : p.retryMaxDelay());
    Object m = args.get("x-retry-multiplier");
    Double multiplier = m != null ? number(m) : p == null ? null : p.retryMultiplier();
    return new RetryPolicy((int) Math.min(Integer.MAX_VALUE, max),
        initial == null ? RetryPolicy.DEFAULT_INITIAL_DELAY : initial,
        multiplier == null ? RetryPolicy.DEFAULT_MULTIPLIER : multiplier,
        maxDelay == null ? RetryPolicy.DEFAULT_MAX_DELAY : maxDelay);
  }

  /** RabbitMQ's checks, in its order; the first failure is reported. */
  static void validate(Map<String, Object> args, String queue) {
    if (args.isEmpty()) {
      return;
    }
    // rabbit_channel checks the dead-letter exchange's type before anything else of a new queue
    if (args.containsKey("x-dead-letter-exchange") && !isString(args.get("x-dead-letter-exchange"))) {
      throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "invalid type '"
          + FieldTypes.name(args.get("x-dead-letter-exchange")) + "' for arg 'x-dead-letter-exchange' in " + queue);
    }
    check(args, queue, "x-expires", v -> {
      String e = intError(v);
      return e != null ? e : integer(v) == 0 ? "{value_zero,0}" : expiry(integer(v));
    });
    check(args, queue, "x-message-ttl", v -> {
      String e = intError(v);
      return e != null ? e : expiry(integer(v));
    });
    check(args, queue, "x-dead-letter-routing-key", v -> !isString(v) ? unacceptable(v)
        : args.containsKey("x-dead-letter-exchange") ? null : "routing_key_but_no_dlx_defined");
    check(args, queue, "x-max-length", QueueArguments::nonNegative);
    check(args, queue, "x-max-length-bytes", QueueArguments::nonNegative);
    check(args, queue, "x-max-priority", v -> {
      String e = nonNegative(v);
      return e != null ? e : integer(v) > 255 ? "{max_value_exceeded," + integer(v) + "}" : null;
    });
    check(args, queue, "x-overflow", v -> !isString(v) ? unacceptable(v)
        : Overflow.of(v.toString()) == null ? "invalid_overflow" : null);
    check(args, queue, "x-single-active-consumer", v -> v instanceof Boolean ? null : unacceptable(v));
    // not classic-queue arguments in RabbitMQ: checked as its quorum queues check them, or as their peers
    check(args, queue, "x-delivery-limit", QueueArguments::nonNegative);
    check(args, queue, "x-consumer-timeout", QueueArguments::nonNegative);
    check(args, queue, "x-retry-max", v -> {
      String e = nonNegative(v);
      return e != null ? e : integer(v) == 0 ? "{value_zero,0}"
          : integer(v) > Integer.MAX_VALUE ? "{value_too_large," + integer(v) + "}" : null;
    });
    check(args, queue, "x-retry-initial-delay", QueueArguments::nonNegative);
    check(args, queue, "x-retry-multiplier", v -> {
      Double d = number(v);
      if (d == null) {
        return "\"expected number, got " + FieldTypes.name(v) + "\"";
      }
      return d >= 1.0 && !d.isInfinite() ? null : "{value_too_small," + FieldTypes.print(v) + "}";
    });
    check(args, queue, "x-retry-max-delay", QueueArguments::nonNegative);
  }

  private interface Check {
    /** The Erlang-printed error term, or null if the value is valid. */
    String error(Object value);
  }

  private static void check(Map<String, Object> args, String queue, String key, Check check) {
    if (!args.containsKey(key)) {
      return;
    }
    String error = check.error(args.get(key));
    if (error != null) {
      throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "invalid arg '" + key + "' for " + queue + ": "
          + error);
    }
  }

  /** RabbitMQ's check_int_arg: its error is a string, which the ~p format prints quoted. */
  private static String intError(Object v) {
    return integer(v) != null ? null : "\"expected integer, got " + FieldTypes.name(v) + "\"";
  }

  private static String nonNegative(Object v) {
    String e = intError(v);
    return e != null ? e : integer(v) < 0 ? "{value_negative," + integer(v) + "}" : null;
  }

  /** rabbit_misc:check_expiry. */
  private static String expiry(long ms) {
    return ms < 0 ? "{value_negative," + ms + "}"
        : ms > PolicyDefinition.MAX_EXPIRY ? "{value_too_large," + ms + "}" : null;
  }

  private static String unacceptable(Object v) {
    return "{unacceptable_type," + FieldTypes.name(v) + "}";
  }

  private static boolean isString(Object v) {
    return v instanceof String || v instanceof LongString;
  }

  private static Long integer(Object v) {
    return v == null ? null : FieldTypes.integer(v);
  }

  private static Long integer(Map<String, Object> args, String key) {
    return integer(args.get(key));
  }

  private static Double number(Object v) {
    Long i = integer(v);
    if (i != null) {
      return i.doubleValue();
    }
    if (v instanceof Float || v instanceof Double) {
      return ((Number) v).doubleValue();
    }
    return v instanceof BigDecimal d ? d.doubleValue() : null;
  }

  private static long lower(Long arg, Long policy) {
    return arg == null ? policy == null ? -1 : policy : policy == null ? arg : Math.min(arg, policy);
  }

  private static Long or(Long arg, Long policy) {
    return arg != null ? arg : policy;
  }
}
