package io.warren.management.spi;

import java.util.Map;

/** A consumer on a queue, with the channel it belongs to. Immutable snapshot. */
public record ConsumerInfo(String vhost, String queue, String consumerTag, String connectionName, int channelNumber,
    boolean ackRequired, boolean exclusive, int prefetchCount, Map<String, Object> arguments) {
  public ConsumerInfo {
    arguments = arguments == null ? Map.of() : arguments;
  }
}
