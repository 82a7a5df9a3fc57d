package io.warren.server.durable;

import io.warren.server.config.PolicyDefinition;
import io.warren.store.Overflow;
import java.util.Objects;

/**
 * Records of policies and limits. Layouts after kind and version (version 1): policy = vhost, name, pattern, apply-to,
 * priority (int), definition; the definition is a 4-byte presence mask (bit i set: field i of {@link
 * PolicyDefinition}'s components follows, in component order, longs as 8 bytes, ints as 4, the multiplier as a double,
 * the overflow and names as strings). Vhost limits = vhost, max-connections, max-queues; user limits = user,
 * max-connections, max-channels (ints, -1 for none). Immutable; any thread.
 */
public final class PolicyRecords {
  private PolicyRecords() {}

  static final int POLICY_SET = 0x98;
  static final int POLICY_CLEARED = 0x99;
  static final int VHOST_LIMITS_SET = 0x9A;
  static final int USER_LIMITS_SET = 0x9B;

  /** @param applyTo RabbitMQ's apply-to value: queues, exchanges or all */
  public record PolicySet(String vhost, String name, String pattern, String applyTo, int priority,
      PolicyDefinition definition) implements DefinitionRecord {
    public PolicySet {
      Objects.requireNonNull(vhost, "vhost");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(pattern, "pattern");
      Objects.requireNonNull(applyTo, "applyTo");
      Objects.requireNonNull(definition, "definition");
    }

    @Override public int kind() {
      return POLICY_SET;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      out.string(vhost).string(name).string(pattern).string(applyTo).int32(priority);
      writeDefinition(out, definition);
    }

    static PolicySet read(RecordReader in) {
      return new PolicySet(in.string(), in.string(), in.string(), in.string(), in.int32(), readDefinition(in));
    }
  }

  public record PolicyCleared(String vhost, String name) implements DefinitionRecord {
    @Override public int kind() {
      return POLICY_CLEARED;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      out.string(vhost).string(name);
    }

    static PolicyCleared read(RecordReader in) {
      return new PolicyCleared(in.string(), in.string());
    }
  }

  /** -1 means no limit; both -1 clears the vhost's limits. */
  public record VhostLimitsSet(String vhost, int maxConnections, int maxQueues) implements DefinitionRecord {
    @Override public int kind() {
      return VHOST_LIMITS_SET;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      out.string(vhost).int32(maxConnections).int32(maxQueues);
    }

    static VhostLimitsSet read(RecordReader in) {
      return new VhostLimitsSet(in.string(), in.int32(), in.int32());
    }
  }

  /** -1 means no limit; both -1 clears the user's limits. */
  public record UserLimitsSet(String user, int maxConnections, int maxChannels) implements DefinitionRecord {
    @Override public int kind() {
      return USER_LIMITS_SET;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      out.string(user).int32(maxConnections).int32(maxChannels);
    }

    static UserLimitsSet read(RecordReader in) {
      return new UserLimitsSet(in.string(), in.int32(), in.int32());
    }
  }

  static void writeDefinition(RecordWriter out, PolicyDefinition d) {
    Object[] fields = {d.messageTtl(), d.expires(), d.maxLength(), d.maxLengthBytes(), d.overflow(),
        d.deadLetterExchange(), d.deadLetterRoutingKey(), d.deliveryLimit(), d.consumerTimeout(), d.maxPriority(),
        d.retryMax(), d.retryInitialDelay(), d.retryMultiplier(), d.retryMaxDelay(), d.alternateExchange()};
    int mask = 0;
    for (int i = 0; i < fields.length; i++) {
      mask |= fields[i] == null ? 0 : 1 << i;
    }
    out.int32(mask);
    for (Object f : fields) {
      if (f instanceof Long l) {
        out.int64(l);
      } else if (f instanceof Integer n) {
        out.int32(n);
      } else if (f instanceof Double x) {
        out.float64(x);
      } else if (f instanceof Overflow o) {
        out.string(o.argument());
      } else if (f instanceof String s) {
        out.string(s);
      }
    }
  }

  static PolicyDefinition readDefinition(RecordReader in) {
    int mask = in.int32();
    Long messageTtl = (mask & 1) != 0 ? in.int64() : null;
    Long expires = (mask & 1 << 1) != 0 ? in.int64() : null;
    Long maxLength = (mask & 1 << 2) != 0 ? in.int64() : null;
    Long maxLengthBytes = (mask & 1 << 3) != 0 ? in.int64() : null;
    Overflow overflow = null;
    if ((mask & 1 << 4) != 0) {
      String o = in.string();
      overflow = Objects.requireNonNull(Overflow.of(o), () -> "unknown overflow '" + o + "'");
    }
    String dlx = (mask & 1 << 5) != 0 ? in.string() : null;
    String dlrk = (mask & 1 << 6) != 0 ? in.string() : null;
    Long deliveryLimit = (mask & 1 << 7) != 0 ? in.int64() : null;
    Long consumerTimeout = (mask & 1 << 8) != 0 ? in.int64() : null;
    Integer maxPriority = (mask & 1 << 9) != 0 ? in.int32() : null;
    Integer retryMax = (mask & 1 << 10) != 0 ? in.int32() : null;
    Long retryInitialDelay = (mask & 1 << 11) != 0 ? in.int64() : null;
    Double retryMultiplier = (mask & 1 << 12) != 0 ? in.float64() : null;
    Long retryMaxDelay = (mask & 1 << 13) != 0 ? in.int64() : null;
    String alternateExchange = (mask & 1 << 14) != 0 ? in.string() : null;
    return new PolicyDefinition(messageTtl, expires, maxLength, maxLengthBytes, overflow, dlx, dlrk, deliveryLimit,
        consumerTimeout, maxPriority, retryMax, retryInitialDelay, retryMultiplier, retryMaxDelay, alternateExchange);
  }
}
