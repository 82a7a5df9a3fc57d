package io.warren.management.spi;

import java.util.Map;

/** An exchange's definition and its live counters (publish_in/publish_out; may be null). Immutable. */
public record ExchangeInfo(String vhost, String name, String type, boolean durable, boolean autoDelete,
    boolean internal, Map<String, Object> arguments, String policy, MessageCounters counters) {
  public ExchangeInfo {
    arguments = arguments == null ? Map.of() : arguments;
  }
}
