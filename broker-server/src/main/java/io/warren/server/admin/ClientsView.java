package io.warren.server.admin;

import io.warren.management.spi.ChannelInfo;
import io.warren.management.spi.ConnectionInfo;
import io.warren.management.spi.ConsumerInfo;
import io.warren.server.registry.Connections;
import io.warren.server.registry.LiveConnection;
import io.warren.server.vhost.FieldJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Connections, channels and consumers for the management API, from the registry's live connections. Channels are
 * read on each connection's own event loop (all asked at once, then awaited, bounded): a connection that closes
 * meanwhile or does not answer in time is left out. Management event loop.
 */
final class ClientsView {
  private static final long WAIT_MILLIS = 2000;
  private final Connections live;

  ClientsView(Connections live) {
    this.live = live;
  }

  List<ConnectionInfo> connections() {
    List<ConnectionInfo> out = new ArrayList<>();
    for (LiveConnection c : live.list()) {
      try {
        io.warren.server.registry.ConnectionInfo i = c.info();
        out.add(new ConnectionInfo(i.name(), i.vhost(), i.user(), i.peerHost(), i.peerPort(), i.host(), i.port(),
            "AMQP 0-9-1", i.channels(), i.channelMax(), i.frameMax(), i.heartbeat(), i.connectedAt(),
            FieldJson.of(i.clientProperties()), i.receivedOctets(), i.sentOctets(), i.receivedCount(),
            i.sentCount(), i.state()));
      } catch (RuntimeException e) {
        // closed while being read: not listed
      }
    }
    out.sort(Comparator.comparing(ConnectionInfo::name));
    return out;
  }

  private List<io.warren.server.registry.ChannelInfo> rawChannels() {
    List<CompletableFuture<List<io.warren.server.registry.ChannelInfo>>> asked = new ArrayList<>();
    for (LiveConnection c : live.list()) {
      try {
        asked.add(c.channels());
      } catch (RuntimeException e) {
        // closed meanwhile
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    List<io.warren.server.registry.ChannelInfo> out = new ArrayList<>();
    for (CompletableFuture<List<io.warren.server.registry.ChannelInfo>> f : asked) {
      try {
        out.addAll(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        // closed meanwhile or too slow: not listed this time
      }
    }
    out.sort(Comparator.comparing(io.warren.server.registry.ChannelInfo::connection)
        .thenComparingInt(io.warren.server.registry.ChannelInfo::number));
    return out;
  }

  List<ChannelInfo> channels() {
    return rawChannels().stream().map(c -> new ChannelInfo(c.connection(), c.number(), c.vhost(), c.user(),
        c.consumers().size(), c.unacked(), c.globalPrefetchCount() > 0 ? c.globalPrefetchCount() : c.prefetchCount(),
        c.confirm(), c.transactional(), "running", c.counters())).toList();
  }

  List<ConsumerInfo> consumers() {
    List<ConsumerInfo> out = new ArrayList<>();
    for (io.warren.server.registry.ChannelInfo c : rawChannels()) {
      for (io.warren.server.registry.ConsumerInfo k : c.consumers()) {
        out.add(new ConsumerInfo(c.vhost(), k.queue(), k.tag(), c.connection(), c.number(), k.ackRequired(),
            k.exclusive(), k.prefetch(), k.priority() == 0 ? java.util.Map.of()
                : java.util.Map.of("x-priority", k.priority())));
      }
    }
    return out;
  }

  boolean close(String name, String reason) {
    LiveConnection c = live.get(name);
    if (c == null) {
      return false;
    }
    c.close(reason);
    return true;
  }
}
