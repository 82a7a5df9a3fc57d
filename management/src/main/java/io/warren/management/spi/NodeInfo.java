package io.warren.management.spi;

import java.util.List;

/**
 * The node's identity and resources at one moment, for /api/nodes, /api/overview and Prometheus. Immutable.
 *
 * @param memoryLimit bytes above which publishers are blocked (the memory alarm's threshold)
 * @param diskFreeLimit free bytes below which publishers are blocked
 */
public record NodeInfo(String name, String clusterName, String version, long uptimeMillis, long memoryUsed,
    long memoryLimit, boolean memoryAlarm, long diskFree, long diskFreeLimit, boolean diskFreeAlarm, long fdUsed,
    long fdTotal, int processors, List<Listener> listeners) {
  public NodeInfo {
    listeners = List.copyOf(listeners);
  }

  /** A port the node listens on (protocol is "amqp", "http"...). */
  public record Listener(String protocol, String bindAddress, int port) {
  }
}
