package io.warren.server.vhost;

import io.warren.amqp.ChannelException;
import io.warren.amqp.generated.ReplyCode;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Redeclaration checks with RabbitMQ's "inequivalent arg" texts. Stateless; any thread. */
final class Equivalence {
  private Equivalence() {}

  static void check(String what, String name, String vhost, String arg, Object received, Object current) {
    if (!Objects.equals(received, current)) {
      throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "inequivalent arg '" + arg + "' for " + what + " '"
          + name + "' in vhost '" + vhost + "': received '" + received + "' but current is '" + current + "'");
    }
  }

  static void checkArguments(String what, String name, String vhost, Map<String, Object> received,
      Map<String, Object> current) {
    TreeSet<String> keys = new TreeSet<>(received.keySet());
    keys.addAll(current.keySet());
    for (String key : keys) {
      Object r = received.get(key);
      Object c = current.get(key);
      if (!Objects.equals(r, c)) {
        String rs = r == null ? "none" : "the value '" + r + "'";
        String cs = c == null ? "none" : "the value '" + c + "'";
        throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "inequivalent arg '" + key + "' for " + what
            + " '" + name + "' in vhost '" + vhost + "': received " + rs + " but current is " + cs);
      }
    }
  }
}
