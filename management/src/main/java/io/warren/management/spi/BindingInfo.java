package io.warren.management.spi;

import java.util.Map;

/** A binding; {@code destinationType} is "queue" or "exchange". Immutable. */
public record BindingInfo(String vhost, String source, String destination, String destinationType, String routingKey,
    Map<String, Object> arguments) {
  public BindingInfo {
    routingKey = routingKey == null ? "" : routingKey;
    arguments = arguments == null ? Map.of() : arguments;
  }
}
