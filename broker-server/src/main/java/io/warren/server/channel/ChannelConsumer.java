package io.warren.server.channel;

import io.warren.store.MessageQueue;
import io.warren.store.QueueConsumer;
import io.warren.store.QueueEntry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One basic.consume subscription. The queue calls it on the queue's executor; it only takes credit and hands
 * deliveries to the channel's {@link Outbound}. Thread-safe.
 */
final class ChannelConsumer implements QueueConsumer {
  private final String tag;
  private final MessageQueue queue;
  private final boolean noAck;
  private final boolean exclusive;
  private final int priority;
  private final Credit own;
  private final Credit channelWide;
  private final Outbound outbound;
  private final Map<String, Object> arguments;
  /** The queue's counters for the management API (deliveries and acks of this consumer). */
  private final io.warren.management.spi.MessageCounters queueCounters;
  /** Set when the queue found no credit; whoever returns credit then wakes the queue. */
  private final AtomicBoolean starved = new AtomicBoolean();
  /** False until basic.consume-ok is written: a delivery must never overtake it. */
  private volatile boolean active;
  /** Cancelled for an acknowledgement timeout; event loop only. */
  private boolean timedOut;

  ChannelConsumer(String tag, MessageQueue queue, boolean noAck, boolean exclusive, int priority, Credit own,
      Credit channelWide, Outbound outbound, Map<String, Object> arguments,
      io.warren.management.spi.MessageCounters queueCounters) {
    this.queueCounters = queueCounters;
    this.tag = tag;
    this.queue = queue;
    this.noAck = noAck;
    this.exclusive = exclusive;
    this.priority = priority;
    this.own = own;
    this.channelWide = channelWide;
    this.outbound = outbound;
    this.arguments = arguments;
  }

  io.warren.management.spi.MessageCounters queueCounters() {
    return queueCounters;
  }

  @Override
  public String tag() {
    return tag;
  }

  @Override
  public boolean noAck() {
    return noAck;
  }

  @Override
  public boolean exclusive() {
    return exclusive;
  }

  @Override
  public int priority() {
    return priority;
  }

  /** What the registry lists of this consumer. */
  io.warren.server.registry.ConsumerInfo info() {
    return new io.warren.server.registry.ConsumerInfo(queue.name(), tag, !noAck, own.limit(), exclusive, priority);
  }

  MessageQueue queue() {
    return queue;
  }

  Map<String, Object> arguments() {
    return arguments;
  }

  @Override
  public boolean tryAcquireCredit() {
    if (take()) {
      return true;
    }
    starved.set(true);
    // re-check after publishing the flag: credit returned in between would otherwise wake nobody
    if (take()) {
      starved.set(false);
      return true;
    }
    return false;
  }

  private boolean take() {
    if (!active || !outbound.hasRoom()) {
      return false;
    }
    if (noAck) {
      // as RabbitMQ 3.x: a channel-wide (global) prefetch full of unacked deliveries holds back no-ack consumers too,
      // though their deliveries, needing no ack, do not count in it
      return channelWide.hasRoom();
    }
    if (!own.tryTake()) {
      return false;
    }
    if (!channelWide.tryTake()) {
      own.cancelTake();
      return false;
    }
    return true;
  }

  /**
   * While deliveries to this channel wait on its socket, how far the socket got: the queue keeps pacing its
   * publishers while a slow reader drains what it was given, between the bursts the socket's water marks let through;
   * -1 when nothing waits (a consumer at its prefetch limit that stopped acking shows no progress then).
   */
  @Override
  public long heldProgress() {
    return active ? outbound.progressWhileWaiting() : -1;
  }

  @Override
  public void deliver(MessageQueue q, QueueEntry entry) {
    outbound.add(this, entry, entry.redelivered());
  }

  @Override
  public void cancelledByQueue() {
    outbound.cancelled(this);
  }

  /** An unacked delivery of this consumer was settled (ack, reject, requeue): return its credit. */
  void settled() {
    own.giveBack();
    channelWide.giveBack();
  }

  /** Cancelled by the channel for an acknowledgement timeout; deliveries still on their way are given back. */
  void timeOut() {
    timedOut = true;
  }

  boolean timedOut() {
    return timedOut;
  }

  /** consume-ok is written: deliveries may follow it. */
  void activate() {
    active = true;
    wakeIfStarved();
  }

  /** Wakes the queue if it stopped delivering here for lack of credit or room. */
  void wakeIfStarved() {
    if (starved.getAndSet(false)) {
      queue.consumerReady();
    }
  }
}
