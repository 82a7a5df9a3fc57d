package io.warren.management.spi;

import java.util.Map;

/**
 * One queue's definition and live figures. {@code counters} are the queue's own message counters (may be null);
 * the byte figures are message body sizes. Immutable apart from the live counters.
 */
public record QueueInfo(String vhost, String name, boolean durable, boolean autoDelete, boolean exclusive,
    Map<String, Object> arguments, String type, String policy, long messagesReady, long messagesUnacknowledged,
    long messageBytesReady, long messageBytesUnacknowledged, int consumers, String exclusiveConsumerTag, MessageCounters counters) {
  public QueueInfo {
    arguments = arguments == null ? Map.of() : arguments;
  }

  public long messages() {
    return messagesReady + messagesUnacknowledged;
  }

  public long messageBytes() {
    return messageBytesReady + messageBytesUnacknowledged;
  }
}
