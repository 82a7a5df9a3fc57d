package io.warren.server.channel;

import io.warren.amqp.Command;
import java.util.ArrayList;
import java.util.List;

/**
 * tx.select mode of a channel: publishes and acknowledgements are held until tx.commit and dropped by
 * tx.rollback, as RabbitMQ does. Confined to the connection's event loop.
 */
final class Transaction {
  /** A held acknowledgement: basic.ack, or basic.nack/reject with their requeue flag. */
  record Settlement(long tag, boolean multiple, boolean ack, boolean requeue) {}

  private final List<Command> publishes = new ArrayList<>();
  private final List<Settlement> settlements = new ArrayList<>();

  void publish(Command command) {
    publishes.add(command);
  }

  void settle(Settlement s) {
    settlements.add(s);
  }

  List<Command> takePublishes() {
    List<Command> out = new ArrayList<>(publishes);
    publishes.clear();
    return out;
  }

  List<Settlement> takeSettlements() {
    List<Settlement> out = new ArrayList<>(settlements);
    settlements.clear();
    return out;
  }

  void rollback() {
    publishes.forEach(Command::release);
    publishes.clear();
    settlements.clear();
  }
}
