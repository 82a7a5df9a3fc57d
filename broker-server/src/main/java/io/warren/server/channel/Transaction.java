package io.warren.server.channel;

import io.warren.amqp.Command;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * tx.select mode of a channel: publishes and acknowledgements are held until tx.commit and dropped by
 * tx.rollback, as RabbitMQ does. Confined to the connection's event loop.
 */
final class Transaction {
  /** A held acknowledgement: basic.ack, or basic.nack/reject with their requeue flag. */
  record Settlement(long tag, boolean multiple, boolean ack, boolean requeue) {}

  private final List<Command> publishes = new ArrayList<>();
  private final List<Settlement> settlements = new ArrayList<>();
  /** Tags settled one by one in this transaction. */
  private final Set<Long> settledTags = new HashSet<>();
  /** Every tag up to this one is covered by a multiple settlement in this transaction. */
  private long settledUpTo;

  void publish(Command command) {
    publishes.add(command);
  }

  /**
   * Whether this transaction already settles {@code tag}. RabbitMQ takes a settled delivery out of the unacked set at
   * once (and puts it back on rollback), so settling it again is an "unknown delivery tag" then, not at commit.
   */
  boolean settles(long tag) {
    return tag <= settledUpTo || settledTags.contains(tag);
  }

  /**
   * @param lastDeliveredTag the channel's latest delivery tag, which a multiple settlement of tag 0 covers
   */
  void settle(Settlement s, long lastDeliveredTag) {
    if (s.multiple()) {
      settledUpTo = Math.max(settledUpTo, s.tag() == 0 ? lastDeliveredTag : s.tag());
    } else {
      settledTags.add(s.tag());
    }
    settlements.add(s);
  }

  List<Command> takePublishes() {
    List<Command> out = new ArrayList<>(publishes);
    publishes.clear();
    return out;
  }

  List<Settlement> takeSettlements() {
    List<Settlement> out = new ArrayList<>(settlements);
    clearSettlements();
    return out;
  }

  void rollback() {
    publishes.forEach(Command::release);
    publishes.clear();
    clearSettlements();
  }

  private void clearSettlements() {
    settlements.clear();
    settledTags.clear();
    settledUpTo = 0;
  }
}
