package io.warren.server.it;

import com.rabbitmq.client.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a connection's blocked listener hears: "blocked: &lt;reason&gt;" and "unblocked", in order. */
final class BlockedEvents {

  private BlockedEvents() {
  }

  /** Starts recording {@code connection}'s connection.blocked / connection.unblocked; the list fills as they come. */
  static List<String> recordOn(Connection connection) {
    List<String> events = new CopyOnWriteArrayList<>();
    connection.addBlockedListener(reason -> events.add("blocked: " + reason), () -> events.add("unblocked"));
    return events;
  }
}
