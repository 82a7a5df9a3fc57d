package io.warren.server.connection;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.collection.IntObjectHashMap;
import io.warren.server.channel.AmqpChannel;
import io.warren.server.registry.ChannelInfo;
import io.warren.server.registry.Connections;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The open channels of one connection by number, kept in step with the registry's per-user channel count (which
 * enforces {@code max-channels}). Confined to the connection's event loop, except {@link #count}, which the
 * management listing reads from any thread.
 */
final class ChannelTable {
  private final IntObjectHashMap<AmqpChannel> channels = new IntObjectHashMap<>();
  /** Numbers of channels the broker closed (with an error) that the client has not opened again; null if none. */
  private BitSet closedByBroker;
  private final Connections registry;
  private volatile int count;

  ChannelTable(Connections registry) {
    this.registry = registry;
  }

  AmqpChannel get(int number) {
    return channels.get(number);
  }

  /** Counts a new channel of {@code user} in the registry; call before {@link #put}. */
  void opening(String user) {
    registry.channelOpened(user);
  }

  void put(int number, AmqpChannel channel) {
    if (closedByBroker != null) {
      closedByBroker.clear(number);
    }
    channels.put(number, channel);
    count = channels.size();
  }

  /** Forgets a channel that finished its close handshake, counting it down in the registry. */
  void remove(int number, String user) {
    if (channels.remove(number) != null) {
      count = channels.size();
      registry.channelsClosed(user, 1);
    }
  }

  /** Like {@link #remove}, for a channel whose close the broker started (a channel error) and the client confirmed. */
  void removeClosedByBroker(int number, String user) {
    remove(number, user);
    if (closedByBroker == null) {
      closedByBroker = new BitSet();
    }
    closedByBroker.set(number);
  }

  /**
   * Whether {@code number} is a channel the broker closed with an error and the client has not opened again. A
   * client can send frames there after its close-ok without being wrong: RabbitMQ's Java client, with its Netty
   * transport, writes close-ok from its I/O thread straight to the socket while a method an application thread wrote
   * just before the channel.close arrived can still be queued behind it.
   */
  boolean closedByBroker(int number) {
    return closedByBroker != null && closedByBroker.get(number);
  }

  /** Releases every channel and forgets them all, counting them down in the registry ({@code user} null: never up). */
  void releaseAll(String user) {
    for (AmqpChannel ch : new ArrayList<>(channels.values())) {
      ch.release();
    }
    int n = channels.size();
    channels.clear();
    count = 0;
    if (n > 0 && user != null) {
      registry.channelsClosed(user, n);
    }
  }

  Collection<AmqpChannel> values() {
    return channels.values();
  }

  /** The channels' pictures, gathered on the event loop {@code loop} (empty unless {@code open}); any thread. */
  CompletableFuture<List<ChannelInfo>> infos(EventExecutor loop, BooleanSupplier open) {
    CompletableFuture<List<ChannelInfo>> result = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        result.complete(open.getAsBoolean() ? channels.values().stream().map(AmqpChannel::info).toList() : List.of());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /** How many channels are open now; any thread. */
  int count() {
    return count;
  }
}
