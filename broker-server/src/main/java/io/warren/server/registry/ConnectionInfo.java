package io.warren.server.registry;

import java.util.Map;

/**
 * One open connection as the management API lists it (RabbitMQ's connection fields). Immutable; any thread.
 *
 * @param clientProperties the client's connection.start-ok properties (AMQP field-table values)
 * @param connectedAt epoch milliseconds of the TCP accept
 * @param state "running", "blocked" or "closing"
 * @param receivedOctets socket bytes read so far; {@code receivedCount} how many reads carried them
 * @param sentOctets socket bytes written so far; {@code sentCount} how many flushes carried them
 */
public record ConnectionInfo(String name, String user, String vhost, String peerHost, int peerPort, String host,
    int port, Map<String, Object> clientProperties, long connectedAt, int channels, int channelMax, int frameMax,
    int heartbeat, String authMechanism, String state, long receivedOctets, long receivedCount, long sentOctets,
    long sentCount) {
}
