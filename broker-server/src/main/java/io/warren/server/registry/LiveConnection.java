package io.warren.server.registry;

/**
 * What the registry sees of an open client connection: enough to list it, count it against limits and close it.
 * Implemented by the AMQP connection. Any thread.
 */
public interface LiveConnection {
  /** RabbitMQ's connection name: "peer-host:peer-port -> local-host:local-port". */
  String name();

  String userName();

  String vhostName();

  /** A picture of the connection now. */
  ConnectionInfo info();

  /** Its channels with their consumers, gathered on the connection's own thread (completes soon after). */
  java.util.concurrent.CompletableFuture<java.util.List<ChannelInfo>> channels();

  /**
   * Closes the connection with 320 CONNECTION_FORCED and this reason text, on the connection's own thread; returns
   * at once.
   */
  void close(String reason);
}
