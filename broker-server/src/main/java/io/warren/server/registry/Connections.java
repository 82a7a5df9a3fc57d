package io.warren.server.registry;

import io.warren.amqp.ConnectionException;
import io.warren.amqp.generated.ReplyCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The open connections, counted per vhost and per user, and the channels counted per user, with RabbitMQ's
 * connection and channel limits. Counts change under this object's monitor (taken inside the registry's when a
 * connection is admitted); listing is lock-free. Any thread.
 */
public final class Connections {
  private final Map<String, LiveConnection> byName = new ConcurrentHashMap<>();
  private final Map<String, Integer> perVhost = new HashMap<>();
  private final Map<String, Integer> perUser = new HashMap<>();
  private final Map<String, Integer> channelsPerUser = new HashMap<>();
  /** The user's max-channels (-1 or absent: none); replaced by the registry on every limit change. */
  private volatile Map<String, Integer> maxChannels = Map.of();

  /** Admits a connection opening a vhost, or refuses it with RabbitMQ's 530 NOT_ALLOWED texts. */
  synchronized void admit(LiveConnection c, int vhostMaxConnections, int userMaxConnections) {
    if (vhostMaxConnections >= 0 && perVhost.getOrDefault(c.vhostName(), 0) >= vhostMaxConnections) {
      throw new ConnectionException(ReplyCode.NOT_ALLOWED, "access to vhost '" + c.vhostName() + "' refused for user '"
          + c.userName() + "': connection limit (" + vhostMaxConnections + ") is reached", 10, 40);
    }
    if (userMaxConnections >= 0 && perUser.getOrDefault(c.userName(), 0) >= userMaxConnections) {
      throw new ConnectionException(ReplyCode.NOT_ALLOWED, "connection refused for user '" + c.userName()
          + "': user connection limit (" + userMaxConnections + ") is reached", 10, 40);
    }
    byName.put(c.name(), c);
    perVhost.merge(c.vhostName(), 1, Integer::sum);
    perUser.merge(c.userName(), 1, Integer::sum);
  }

  /** A connection admitted earlier has closed (its channels must have been counted down already). */
  public synchronized void closed(LiveConnection c) {
    if (byName.remove(c.name(), c)) {
      perVhost.computeIfPresent(c.vhostName(), (k, n) -> n == 1 ? null : n - 1);
      perUser.computeIfPresent(c.userName(), (k, n) -> n == 1 ? null : n - 1);
    }
  }

  /**
   * Counts a channel the user opens, or refuses it as RabbitMQ does once the user's max-channels is reached (530
   * NOT_ALLOWED, which closes the connection).
   */
  public synchronized void channelOpened(String user) {
    Integer limit = maxChannels.get(user);
    int open = channelsPerUser.getOrDefault(user, 0);
    if (limit != null && limit >= 0 && open >= limit) {
      throw new ConnectionException(ReplyCode.NOT_ALLOWED, "number of channels opened for user '" + user
          + "' has reached the maximum allowed user limit of (" + limit + ")", 0, 0);
    }
    channelsPerUser.put(user, open + 1);
  }

  /** Counts down channels the user closed (or lost with their connection). */
  public synchronized void channelsClosed(String user, int count) {
    if (count > 0) {
      channelsPerUser.computeIfPresent(user, (k, n) -> n <= count ? null : n - count);
    }
  }

  void maxChannels(Map<String, Integer> limits) {
    this.maxChannels = Map.copyOf(limits);
  }

  public List<LiveConnection> list() {
    return new ArrayList<>(byName.values());
  }

  /** The connection of that name, or null. */
  public LiveConnection get(String name) {
    return byName.get(name);
  }

  public synchronized int count(String vhost) {
    return perVhost.getOrDefault(vhost, 0);
  }

  public synchronized int channels(String user) {
    return channelsPerUser.getOrDefault(user, 0);
  }

  /** Open connections of {@code user}, or all when null. */
  public synchronized int connectionCount(String user) {
    return user == null ? byName.size() : perUser.getOrDefault(user, 0);
  }

  /** Open channels of {@code user}'s connections, or all when null (counted as they open and close, not listed). */
  public synchronized int channelCount(String user) {
    if (user != null) {
      return channelsPerUser.getOrDefault(user, 0);
    }
    int n = 0;
    for (int c : channelsPerUser.values()) {
      n += c;
    }
    return n;
  }

  /** Closes (320 CONNECTION_FORCED) every connection that matches; returns how many. */
  int closeWhere(Predicate<LiveConnection> which, String reason) {
    int n = 0;
    for (LiveConnection c : byName.values()) {
      if (which.test(c)) {
        c.close(reason);
        n++;
      }
    }
    return n;
  }
}
