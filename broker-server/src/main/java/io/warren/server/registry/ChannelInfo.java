package io.warren.server.registry;

import java.util.List;

/**
 * One open channel as the management API lists it. Immutable; any thread.
 *
 * @param prefetchCount the per-consumer prefetch set by basic.qos (global=false), 0 for none
 * @param globalPrefetchCount the channel-wide prefetch (basic.qos global=true), 0 for none
 * @param counters the channel's live message counters (publish, deliver, ack...), for rates
 */
public record ChannelInfo(String connection, int number, String user, String vhost, int prefetchCount,
    int globalPrefetchCount, int unacked, boolean confirm, boolean transactional, List<ConsumerInfo> consumers,
    io.warren.management.spi.MessageCounters counters) {
  public ChannelInfo {
    consumers = List.copyOf(consumers);
  }

  /** RabbitMQ's channel name: "connection name (number)". */
  public String name() {
    return connection + " (" + number + ")";
  }
}
