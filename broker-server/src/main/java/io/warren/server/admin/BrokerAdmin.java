package io.warren.server.admin;

import io.warren.management.spi.Access;
import io.warren.management.spi.BindingInfo;
import io.warren.management.spi.ChannelInfo;
import io.warren.management.spi.ChurnCounters;
import io.warren.management.spi.ConnectionInfo;
import io.warren.management.spi.ConsumerInfo;
import io.warren.management.spi.ExchangeInfo;
import io.warren.management.spi.GetRequest;
import io.warren.management.spi.GotMessage;
import io.warren.management.spi.LimitInfo;
import io.warren.management.spi.ManagedBroker;
import io.warren.management.spi.MessageCounters;
import io.warren.management.spi.NodeInfo;
import io.warren.management.spi.PermissionInfo;
import io.warren.management.spi.PolicyInfo;
import io.warren.management.spi.Principal;
import io.warren.management.spi.PublishRequest;
import io.warren.management.spi.QueueInfo;
import io.warren.management.spi.QueueSpec;
import io.warren.management.spi.QueueTotals;
import io.warren.management.spi.TopicPermissionInfo;
import io.warren.management.spi.UserInfo;
import io.warren.management.spi.VhostInfo;
import io.warren.server.vhost.BrokerVhost;
import java.net.InetAddress;
import java.util.List;

/**
 * The broker behind the management module's SPI: topology and messages through the vhosts, live clients through
 * their own event loops, and vhosts/users/permissions/policies from the access side. Built by the Broker; called on
 * the management event loop.
 */
public final class BrokerAdmin implements ManagedBroker {
  private final NodeView node;
  private final SettingsAdmin settings;
  private final MessageCounters counters;
  private final ChurnCounters churn;
  private final RegistryAccess access;
  private final TopologyAdmin topology;
  private final MessageAdmin messages;
  private final ClientsView clients;
  private final io.warren.server.registry.Connections live;
  private final java.util.function.Function<String, BrokerVhost> vhosts;
  private final java.time.Clock clock;

  /** Everything the adapter reads, handed over by the Broker (which nothing imports). */
  public record Parts(io.warren.server.config.BrokerConfig config, io.warren.server.registry.Registry registry,
      MessageCounters counters, ChurnCounters churn, io.warren.server.flow.MemoryAlarm memory,
      io.warren.server.flow.DiskAlarm disk, io.warren.server.config.ChannelMax channelMax,
      java.util.function.IntSupplier amqpPort,
      java.util.function.IntSupplier httpPort, java.time.Clock clock) {
  }

  public BrokerAdmin(Parts p) {
    this.node = new NodeView(p.config(), p.memory(), p.disk(), p.amqpPort(), p.httpPort());
    this.settings = new SettingsAdmin(p.config(), p.memory(), p.disk(), p.channelMax());
    this.counters = p.counters();
    this.churn = p.churn();
    this.access = new RegistryAccess(p.registry());
    this.topology = new TopologyAdmin(p.registry()::vhost, p.registry()::liveVhosts, p.registry()::policies);
    this.messages = new MessageAdmin(topology, p.counters(), p.clock());
    this.clients = new ClientsView(p.registry().connections());
    this.live = p.registry().connections();
    this.vhosts = p.registry()::vhost;
    this.clock = p.clock();
  }

  @Override
  public NodeInfo node() {
    return node.node();
  }

  @Override
  public io.warren.management.spi.NodeSettings nodeSettings() {
    return settings;
  }

  @Override
  public MessageCounters counters() {
    return counters;
  }

  @Override
  public ChurnCounters churn() {
    return churn;
  }

  @Override
  public Principal authenticate(String user, String password, InetAddress peer) {
    return access.authenticate(user, password, peer);
  }

  @Override
  public boolean mayAccessVhost(String user, String vhost) {
    return access.mayAccessVhost(user, vhost);
  }

  @Override
  public boolean permitted(String user, String vhost, Access kind, String resource) {
    return access.permitted(user, vhost, kind, resource);
  }

  @Override
  public List<VhostInfo> vhosts() {
    return access.vhosts();
  }

  @Override
  public MessageCounters vhostCounters(String vhost) {
    BrokerVhost v = vhosts.apply(vhost);
    return v == null ? null : v.counters();
  }

  @Override
  public void putVhost(VhostInfo vhost) {
    access.putVhost(vhost);
  }

  @Override
  public void deleteVhost(String name) {
    access.deleteVhost(name);
  }

  @Override
  public boolean tracing(String vhost) {
    BrokerVhost v = vhosts.apply(vhost);
    return v != null && v.firehose() != null;
  }

  @Override
  public void tracing(String vhost, boolean on) {
    BrokerVhost v = vhosts.apply(vhost);
    if (v == null) {
      throw io.warren.management.spi.AdminException.notFound("vhost '" + vhost + "' not found");
    }
    if (on != (v.firehose() != null)) {
      v.firehose(on ? new io.warren.server.vhost.Firehose(v, node.name(), clock) : null);
      org.slf4j.LoggerFactory.getLogger(BrokerAdmin.class).info("Tracing {} for vhost '{}'", on ? "enabled" : "disabled",
          vhost);
    }
  }

  @Override
  public List<UserInfo> users() {
    return access.users();
  }

  @Override
  public void putUser(UserInfo user) {
    access.putUser(user);
  }

  @Override
  public void deleteUser(String name) {
    access.deleteUser(name);
  }

  @Override
  public List<PermissionInfo> permissions() {
    return access.permissions();
  }

  @Override
  public void putPermission(PermissionInfo permission) {
    access.putPermission(permission);
  }

  @Override
  public void deletePermission(String user, String vhost) {
    access.deletePermission(user, vhost);
  }

  @Override
  public List<TopicPermissionInfo> topicPermissions() {
    return access.topicPermissions();
  }

  @Override
  public void putTopicPermission(TopicPermissionInfo permission) {
    access.putTopicPermission(permission);
  }

  @Override
  public void deleteTopicPermission(String user, String vhost, String exchange) {
    access.deleteTopicPermission(user, vhost, exchange);
  }

  @Override
  public List<PolicyInfo> policies() {
    return access.policies();
  }

  @Override
  public void putPolicy(PolicyInfo policy) {
    access.putPolicy(policy);
  }

  @Override
  public void deletePolicy(String vhost, String name) {
    access.deletePolicy(vhost, name);
  }

  @Override
  public List<LimitInfo> vhostLimits() {
    return access.vhostLimits();
  }

  @Override
  public void putVhostLimits(LimitInfo limits) {
    access.putVhostLimits(limits);
  }

  @Override
  public List<LimitInfo> userLimits() {
    return access.userLimits();
  }

  @Override
  public void putUserLimits(LimitInfo limits) {
    access.putUserLimits(limits);
  }

  @Override
  public List<QueueInfo> queues(String vhost) {
    return topology.queues(vhost);
  }

  @Override
  public void visitQueues(QueueVisitor visitor) {
    topology.visitQueues(visitor);
  }

  @Override
  public QueueTotals queueTotals(String vhost) {
    return topology.queueTotals(vhost);
  }

  @Override
  public QueueInfo queue(String vhost, String name) {
    return topology.queue(vhost, name);
  }

  @Override
  public void declareQueue(QueueSpec spec) {
    topology.declareQueue(spec);
  }

  @Override
  public void deleteQueue(String vhost, String name, boolean ifUnused, boolean ifEmpty) {
    topology.deleteQueue(vhost, name, ifUnused, ifEmpty);
  }

  @Override
  public long purgeQueue(String vhost, String name) {
    return topology.purge(vhost, name);
  }

  @Override
  public List<GotMessage> get(GetRequest request) {
    return messages.get(request);
  }

  @Override
  public List<ExchangeInfo> exchanges(String vhost) {
    return topology.exchanges(vhost);
  }

  @Override
  public ExchangeInfo exchange(String vhost, String name) {
    return topology.exchange(vhost, name);
  }

  @Override
  public void declareExchange(ExchangeInfo spec) {
    topology.declareExchange(spec);
  }

  @Override
  public void deleteExchange(String vhost, String name, boolean ifUnused) {
    topology.deleteExchange(vhost, name, ifUnused);
  }

  @Override
  public boolean publish(PublishRequest request) {
    return messages.publish(request);
  }

  @Override
  public List<BindingInfo> bindings(String vhost) {
    return topology.bindings(vhost);
  }

  @Override
  public void bind(BindingInfo binding) {
    topology.bind(binding);
  }

  @Override
  public boolean unbind(BindingInfo binding) {
    return topology.unbind(binding);
  }

  @Override
  public List<ConnectionInfo> connections() {
    return clients.connections();
  }

  @Override
  public int connectionCount(String user) {
    return live.connectionCount(user);
  }

  @Override
  public int channelCount(String user) {
    return live.channelCount(user);
  }

  @Override
  public boolean closeConnection(String name, String reason) {
    return clients.close(name, reason);
  }

  @Override
  public List<ChannelInfo> channels() {
    return clients.channels();
  }

  @Override
  public List<ConsumerInfo> consumers() {
    return clients.consumers();
  }
}
