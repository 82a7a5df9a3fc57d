package io.warren.server.auth;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One user's configure/write/read regular expressions in one vhost. As in RabbitMQ the expression is searched for in
 * the resource name (unanchored: use ^...$ to match whole names), and an empty pattern grants nothing. Immutable; any
 * thread.
 */
public record Permission(String user, String vhost, String configure, String write, String read,
    Pattern configurePattern, Pattern writePattern, Pattern readPattern) {

  public Permission(String user, String vhost, String configure, String write, String read) {
    this(user, vhost, configure, write, read, compile(configure), compile(write), compile(read));
  }

  public Permission {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(vhost, "vhost");
  }

  public boolean allows(Operation op, String resourceName) {
    Pattern p = switch (op) {
      case CONFIGURE -> configurePattern;
      case WRITE -> writePattern;
      case READ -> readPattern;
    };
    return p != null && p.matcher(resourceName).find();
  }

  private static Pattern compile(String regex) {
    Objects.requireNonNull(regex, "permission pattern");
    if (regex.isEmpty()) {
      return null;
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid permission pattern '" + regex + "': " + e.getDescription(), e);
    }
  }

  /** The three kinds of access RabbitMQ distinguishes. */
  public enum Operation {
    CONFIGURE, WRITE, READ;

    public String lower() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
