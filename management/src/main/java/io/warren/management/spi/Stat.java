package io.warren.management.spi;

/**
 * The message counters RabbitMQ's management API reports in {@code message_stats}, by their JSON names. Immutable;
 * any thread.
 */
public enum Stat {
  PUBLISH("publish"),
  PUBLISH_IN("publish_in"),
  PUBLISH_OUT("publish_out"),
  CONFIRM("confirm"),
  DELIVER("deliver"),
  DELIVER_NO_ACK("deliver_no_ack"),
  GET("get"),
  GET_NO_ACK("get_no_ack"),
  GET_EMPTY("get_empty"),
  ACK("ack"),
  REDELIVER("redeliver"),
  RETURN_UNROUTABLE("return_unroutable"),
  DROP_UNROUTABLE("drop_unroutable");

  private static final Stat[] ALL = values();
  private final String json;

  Stat(String json) {
    this.json = json;
  }

  public String json() {
    return json;
  }

  static Stat[] all() {
    return ALL;
  }
}
