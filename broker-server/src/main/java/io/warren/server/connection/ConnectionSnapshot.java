package io.warren.server.connection;

import io.netty.channel.Channel;
import io.warren.server.net.SocketCounters;
import io.warren.server.registry.ConnectionInfo;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The registry's picture of one connection, built from its socket, handshake and counters. Pure; any thread (the
 * fields it reads are volatile or fixed after the handshake).
 */
final class ConnectionSnapshot {
  private ConnectionSnapshot() {
  }

  /**
   * @param h the handshake, null before the protocol header
   * @param s the socket's byte counters, null in a bare test pipeline
   */
  static ConnectionInfo of(Channel socket, String name, String user, String vhost, Handshake h, SocketCounters s,
      String state, long connectedAt, int channels) {
    InetSocketAddress remote = (InetSocketAddress) socket.remoteAddress();
    InetSocketAddress local = (InetSocketAddress) socket.localAddress();
    return new ConnectionInfo(name, user, vhost, remote.getAddress().getHostAddress(), remote.getPort(),
        local.getAddress().getHostAddress(), local.getPort(), h == null ? Map.of() : h.clientProperties(),
        connectedAt, channels, h == null ? 0 : h.channelMax(), h == null ? 0 : h.frameMax(),
        h == null ? 0 : h.heartbeat(), h == null ? null : h.mechanism(), state,
        s == null ? 0 : s.receivedOctets(), s == null ? 0 : s.receivedReads(),
        s == null ? 0 : s.sentOctets(), s == null ? 0 : s.sentFlushes());
  }
}
