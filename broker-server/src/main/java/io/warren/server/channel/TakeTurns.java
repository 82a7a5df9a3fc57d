package io.warren.server.channel;

import java.util.Collection;

/**
 * Wakes a channel's starved consumers starting each time with the next one. The queue woken first usually takes the
 * credit an ack freed, so with a channel-wide prefetch the consumers' queues are served in turn, as in RabbitMQ,
 * rather than the first consumer's queue every time. Confined to the connection's event loop.
 */
final class TakeTurns {
  private int next;

  void wake(Collection<ChannelConsumer> consumers) {
    int n = consumers.size();
    if (n == 0) {
      return;
    }
    int start = next < n ? next : 0;
    next = start + 1;
    int i = 0;
    for (ChannelConsumer c : consumers) { // from the start to the end (no copy: this runs on every ack)
      if (i++ >= start) {
        c.wakeIfStarved();
      }
    }
    i = 0;
    for (ChannelConsumer c : consumers) { // then the ones before the start
      if (i++ >= start) {
        break;
      }
      c.wakeIfStarved();
    }
  }
}
