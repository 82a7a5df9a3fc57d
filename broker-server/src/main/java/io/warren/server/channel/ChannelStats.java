package io.warren.server.channel;

import io.warren.management.spi.MessageCounters;
import io.warren.management.spi.Stat;

/**
 * The counters one channel event increments: the node's, its vhost's and the channel's own (the queue's are
 * incremented beside, where the queue is known). Each is a LongAdder add: no allocation, no lock, so the publish and
 * delivery paths pay three counter increments for the management API's rates. Any thread.
 */
final class ChannelStats {
  private final MessageCounters node;
  private final MessageCounters vhost;
  private final MessageCounters channel = new MessageCounters();

  ChannelStats(MessageCounters node, MessageCounters vhost) {
    this.node = node;
    this.vhost = vhost;
  }

  void add(Stat stat) {
    node.add(stat);
    vhost.add(stat);
    channel.add(stat);
  }

  void add(Stat stat, long n) {
    node.add(stat, n);
    vhost.add(stat, n);
    channel.add(stat, n);
  }

  MessageCounters channel() {
    return channel;
  }
}
