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

  /** Queues of one vhost, or of all when {@code vhost} is null. */
  List<QueueInfo> queues(String vhost);

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

  /** Closes the connection with 320 CONNECTION_FORCED and the reason; false if it does not exist. */
  boolean closeConnection(String name, String reason);

  List<ChannelInfo> channels();

  List<ConsumerInfo> consumers();
}
