package io.warren.management.spi;

/** A live channel of a connection; {@code counters} are its message counters (may be null). Immutable snapshot. */
public record ChannelInfo(String connectionName, int number, String vhost, String user, int consumers,
    int messagesUnacknowledged, int prefetchCount, boolean confirm, boolean transactional, String state,
    MessageCounters counters) {
  /** RabbitMQ's channel name: "connection name (number)". */
  public String name() {
    return connectionName + " (" + number + ")";
  }
}
