package io.warren.server.channel;

import io.warren.amqp.ChannelException;
import io.warren.amqp.generated.ReplyCode;
import io.warren.server.auth.AccessControl;
import io.warren.server.auth.Permission.Operation;

/** Checks one connection's user against its vhost's permissions, with RabbitMQ's texts. Any thread. */
final class AccessGuard {
  private final AccessControl access;
  private final String user;
  private final String vhost;

  AccessGuard(AccessControl access, String user, String vhost) {
    this.access = access;
    this.user = user;
    this.vhost = vhost;
  }

  void queue(Operation op, String name) {
    check(op, "queue", name);
  }

  void exchange(Operation op, String name) {
    // RabbitMQ checks the default exchange under this name
    check(op, "exchange", name.isEmpty() ? "amq.default" : name);
  }

  private void check(Operation op, String kind, String name) {
    if (!access.allows(user, vhost, op, name)) {
      throw new ChannelException(ReplyCode.ACCESS_REFUSED, "access to " + kind + " '" + name + "' in vhost '"
          + vhost + "' refused for user '" + user + "'");
    }
  }
}
