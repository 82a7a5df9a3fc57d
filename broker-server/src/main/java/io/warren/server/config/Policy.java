package io.warren.server.config;

import com.typesafe.config.Config;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One policy from {@code warren.policies}: RabbitMQ's policy model (a name, a regular expression matched anywhere in
 * the object's name, what it applies to, a priority and a definition). Immutable; any thread.
 */
public record Policy(String vhost, String name, Pattern pattern, ApplyTo applyTo, int priority,
    PolicyDefinition definition) {

  /** RabbitMQ's apply-to values. */
  public enum ApplyTo {
    QUEUES("queues"), EXCHANGES("exchanges"), ALL("all");

    private final String value;

    ApplyTo(String value) {
      this.value = value;
    }

    /** RabbitMQ's spelling: queues, exchanges or all. */
    public String value() {
      return value;
    }

    public static ApplyTo of(String value) {
      for (ApplyTo a : values()) {
        if (a.value.equals(value)) {
          return a;
        }
      }
      throw new IllegalArgumentException("apply-to: '" + value + "' must be one of queues, exchanges, all");
    }
  }

  public Policy {
    Objects.requireNonNull(vhost, "vhost");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(applyTo, "applyTo");
    Objects.requireNonNull(definition, "definition");
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name: must not be empty");
    }
  }

  /** Whether this policy applies to a queue of this name (RabbitMQ: an unanchored regular-expression match). */
  public boolean matchesQueue(String queue) {
    return applyTo != ApplyTo.EXCHANGES && pattern.matcher(queue).find();
  }

  public boolean matchesExchange(String exchange) {
    return applyTo != ApplyTo.QUEUES && pattern.matcher(exchange).find();
  }

  /** Parses one entry of {@code warren.policies}; errors name the key within the entry. */
  static Policy parse(Config c) {
    String vhost = c.hasPath("vhost") ? c.getString("vhost") : "/";
    String name = c.getString("name");
    String regex = c.getString("pattern");
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("pattern: '" + regex + "' is not a valid regular expression: "
          + e.getDescription());
    }
    ApplyTo applyTo = c.hasPath("apply-to") ? ApplyTo.of(c.getString("apply-to")) : ApplyTo.ALL;
    int priority = c.hasPath("priority") ? c.getInt("priority") : 0;
    if (!c.hasPath("definition")) {
      throw new IllegalArgumentException("definition: missing");
    }
    return new Policy(vhost, name, pattern, applyTo, priority, PolicyDefinition.parse(c.getConfig("definition")));
  }
}
