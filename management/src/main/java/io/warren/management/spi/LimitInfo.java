package io.warren.management.spi;

import java.util.Map;

/** The limits of one vhost ("max-connections", "max-queues") or user ("max-connections", "max-channels"). */
public record LimitInfo(String owner, Map<String, Long> value) {
  public LimitInfo {
    value = Map.copyOf(value);
  }
}
