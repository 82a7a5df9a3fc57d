package io.warren.management.spi;

import java.util.Map;

/**
 * A live client connection. {@code name} is RabbitMQ's "peer:port -> host:port" form, unique on the node. The octets
 * are socket bytes read and written; the counts, how many socket reads and flushes carried them. Immutable snapshot.
 */
public record ConnectionInfo(String name, String vhost, String user, String peerHost, int peerPort, String host,
    int port, String protocol, int channels, int channelMax, long frameMax, int heartbeatSeconds, long connectedAt,
    Map<String, Object> clientProperties, long receivedOctets, long sentOctets, long receivedCount, long sentCount,
    String state) {
  public ConnectionInfo {
    clientProperties = clientProperties == null ? Map.of() : clientProperties;
  }
}
