package io.warren.server.channel;

import io.warren.amqp.ChannelException;
import io.warren.amqp.generated.ReplyCode;
import io.warren.server.auth.AccessControl;
import io.warren.server.auth.Permission.Operation;
import io.warren.server.auth.TopicPermission;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Checks one connection's user against its vhost's current permissions and topic permissions, with RabbitMQ's texts.
 * The registry replaces its {@link AccessControl} on every change, so a check always sees the latest permissions.
 * Confined to the connection's event loop.
 */
final class AccessGuard {
  private final Supplier<AccessControl> access;
  private final String user;
  private final String vhost;
  /** The topic permissions of {@link #topicsOf}, looked up again when the registry changes. */
  private AccessControl topicsOf;
  private Map<String, TopicPermission> topics = Map.of();

  AccessGuard(Supplier<AccessControl> access, String user, String vhost) {
    this.access = access;
    this.user = user;
    this.vhost = vhost;
  }

  /** The permissions checks use now: a caller caching a check's result compares it by identity. */
  AccessControl current() {
    return access.get();
  }

  void queue(Operation op, String name) {
    check(op, "queue", name);
  }

  void exchange(Operation op, String name) {
    // RabbitMQ checks the default exchange under this name
    check(op, "exchange", name.isEmpty() ? "amq.default" : name);
  }

  /** A topic exchange's routing key (WRITE: publish) or binding key (READ: bind), as RabbitMQ's topic permissions. */
  void topic(Operation op, String exchange, String routingKey) {
    AccessControl now = access.get();
    if (now != topicsOf) {
      topicsOf = now;
      topics = now.topicPermissions(user, vhost);
    }
    if (topics.isEmpty()) {
      return;
    }
    TopicPermission p = topics.get(exchange);
    if (p != null && !p.allows(op, routingKey)) {
      throw new ChannelException(ReplyCode.ACCESS_REFUSED, "access to topic '" + routingKey + "' in exchange '"
          + exchange + "' in vhost '" + vhost + "' refused for user '" + user + "'");
    }
  }

  private void check(Operation op, String kind, String name) {
    if (!access.get().allows(user, vhost, op, name)) {
      throw new ChannelException(ReplyCode.ACCESS_REFUSED, "access to " + kind + " '" + name + "' in vhost '"
          + vhost + "' refused for user '" + user + "'");
    }
  }
}
