package io.warren.server.auth;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One user's topic permission on one exchange of a vhost: write and read regular expressions matched (unanchored, as
 * RabbitMQ does) against the routing key of a publish (write) or the binding key of a bind (read) on a topic exchange.
 * As in RabbitMQ, {@code {username}} and {@code {vhost}} in a pattern stand for the user's and vhost's names; an
 * empty pattern refuses everything. Immutable; any thread.
 */
public record TopicPermission(String user, String vhost, String exchange, String write, String read,
    Pattern writePattern, Pattern readPattern) {

  public TopicPermission(String user, String vhost, String exchange, String write, String read) {
    this(user, vhost, exchange, write, read, compile(write, user, vhost), compile(read, user, vhost));
  }

  public TopicPermission {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(vhost, "vhost");
    Objects.requireNonNull(exchange, "exchange");
  }

  /** Whether the routing (or binding) key may be used for this operation (WRITE or READ). */
  public boolean allows(Permission.Operation op, String routingKey) {
    Pattern p = op == Permission.Operation.READ ? readPattern : writePattern;
    return p != null && p.matcher(routingKey).find();
  }

  private static Pattern compile(String regex, String user, String vhost) {
    Objects.requireNonNull(regex, "topic permission pattern");
    if (regex.isEmpty()) {
      return null;
    }
    String expanded = regex.replace("{username}", user).replace("{vhost}", vhost);
    try {
      return Pattern.compile(expanded);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid topic permission pattern '" + regex + "': " + e.getDescription(),
          e);
    }
  }
}
