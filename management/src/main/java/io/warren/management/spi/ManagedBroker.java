package io.warren.management.spi;

import java.net.InetAddress;
import java.util.List;

/**
 * What the management API needs from a broker: the narrow interface the broker implements and hands to
 * {@code ManagementServer}. Called only on the management event loop, one call at a time; implementations may block
 * briefly (a durable definition write) but never for long. Refusals are {@link AdminException}s; a name that does
 * not exist is {@link AdminException#notFound}. Lists are snapshots.
 */
public interface ManagedBroker {
  // ---- node and identity

  NodeInfo node();

  /** Node-wide message counters (RabbitMQ's global message_stats). */
  MessageCounters counters();

  ChurnCounters churn();

  /** The settings operators change at run time (watermarks, alarms by hand, channel-max). */
  default NodeSettings nodeSettings() {
    throw AdminException.unsupported("changing the node's settings at run time");
  }

  /** The user if the password matches and the user may log in from {@code peer}; null otherwise. */
  Principal authenticate(String user, String password, InetAddress peer);

  /** True if the user has a permission entry in the vhost (may open it). */
  boolean mayAccessVhost(String user, String vhost);

  /** True if the user's {@code access} regex in the vhost matches the resource name. */
  boolean permitted(String user, String vhost, Access access, String resource);

  // ---- vhosts, users, permissions, policies, limits (the registry)

  List<VhostInfo> vhosts();

  /** The vhost's own counters, or null if it does not exist. */
  MessageCounters vhostCounters(String vhost);

  /** Creates the vhost or updates its description and tags. */
  void putVhost(VhostInfo vhost);

  void deleteVhost(String name);

  /** True while the vhost's firehose tracer is on (RabbitMQ's "tracing"); false for a vhost that does not exist. */
  boolean tracing(String vhost);

  /**
   * Turns the vhost's firehose tracer on or off. Not a definition: as in RabbitMQ it is off at every start and is
   * not exported; a vhost that does not exist is {@link AdminException#notFound}.
   */
  void tracing(String vhost, boolean on);

  List<UserInfo> users();

  void putUser(UserInfo user);

  void deleteUser(String name);

  List<PermissionInfo> permissions();

  void putPermission(PermissionInfo permission);

  void deletePermission(String user, String vhost);

  List<TopicPermissionInfo> topicPermissions();

  void putTopicPermission(TopicPermissionInfo permission);

  /** Deletes the user's topic permissions in the vhost: on one exchange, or all when {@code exchange} is null. */
  void deleteTopicPermission(String user, String vhost, String exchange);

  List<PolicyInfo> policies();

  void putPolicy(PolicyInfo policy);

  void deletePolicy(String vhost, String name);

  List<LimitInfo> vhostLimits();

  /** Replaces the vhost's limits with {@code limits.value()} (an empty map clears them). */
  void putVhostLimits(LimitInfo limits);

  List<LimitInfo> userLimits();

  void putUserLimits(LimitInfo limits);

  // ---- topology and messages

  /**
   * Queues of one vhost, or of all when {@code vhost} is null, by vhost then name. The set of queues is a snapshot;
   * an implementation may read each queue's figures when its element is first got.
   */
  List<QueueInfo> queues(String vhost);

  /**
   * Sums over the queues of one vhost, or of all when {@code vhost} is null (a vhost that does not exist has none).
   * Polled every second by scrapes and open web UIs: an implementation should read them without listing.
   */
  default QueueTotals queueTotals(String vhost) {
    return QueueTotals.of(queues(vhost));
  }

  /** What {@link #visitQueues} shows of each queue. */
  @FunctionalInterface
  interface QueueVisitor {
    /** {@code counters} may be null. */
    void visit(MessageCounters counters, long messagesReady, long messagesUnacknowledged);
  }

  /**
   * Shows every queue's counters and lengths to {@code visitor}: the sampler's pass over all queues each interval,
   * which an implementation should make without building a {@link QueueInfo} per queue.
   */
  default void visitQueues(QueueVisitor visitor) {
    for (QueueInfo q : queues(null)) {
      visitor.visit(q.counters(), q.messagesReady(), q.messagesUnacknowledged());
    }
  }

  /** The queue, or null. */
  QueueInfo queue(String vhost, String name);

  /** Declares the queue like queue.declare (an equal existing queue is fine, an inequivalent one is refused). */
  void declareQueue(QueueSpec spec);

  void deleteQueue(String vhost, String name, boolean ifUnused, boolean ifEmpty);

  /** Removes the queue's ready messages; returns how many. */
  long purgeQueue(String vhost, String name);

  List<GotMessage> get(GetRequest request);

  List<ExchangeInfo> exchanges(String vhost);

  ExchangeInfo exchange(String vhost, String name);

  void declareExchange(ExchangeInfo spec);

  void deleteExchange(String vhost, String name, boolean ifUnused);

  /** Publishes as a client would; true if the message reached at least one queue. */
  boolean publish(PublishRequest request);

  List<BindingInfo> bindings(String vhost);

  void bind(BindingInfo binding);

  /** Removes the binding; false if there was none. */
  boolean unbind(BindingInfo binding);

  // ---- live clients

  List<ConnectionInfo> connections();

  /** How many connections are open: those of {@code user}, or all when null. Cheaper than listing them. */
  default int connectionCount(String user) {
    return (int) connections().stream().filter(c -> user == null || user.equals(c.user())).count();
  }

  /** Closes the connection with 320 CONNECTION_FORCED and the reason; false if it does not exist. */
  boolean closeConnection(String name, String reason);

  List<ChannelInfo> channels();

  /**
   * How many channels are open: those of {@code user}'s connections, or all when null. Unlike {@link #channels}, an
   * implementation should count them without asking each connection's own thread.
   */
  default int channelCount(String user) {
    return (int) channels().stream().filter(c -> user == null || user.equals(c.user())).count();
  }

  List<ConsumerInfo> consumers();
}
