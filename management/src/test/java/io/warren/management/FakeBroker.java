package io.warren.management;

import io.warren.management.api.PasswordHashes;
import io.warren.management.spi.Access;
import io.warren.management.spi.AdminException;
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
import io.warren.management.spi.Stat;
import io.warren.management.spi.TopicPermissionInfo;
import io.warren.management.spi.UserInfo;
import io.warren.management.spi.VhostInfo;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An in-memory broker behind the SPI, for testing the HTTP side without AMQP. Synchronized: test and HTTP threads. */
final class FakeBroker implements ManagedBroker {
  final MessageCounters counters = new MessageCounters();
  final ChurnCounters churn = new ChurnCounters();
  final Map<String, VhostInfo> vhosts = new LinkedHashMap<>();
  /** The vhosts whose firehose tracer is on. */
  final java.util.Set<String> tracing = new java.util.HashSet<>();
  final Map<String, MessageCounters> vhostCounters = new LinkedHashMap<>();
  final Map<String, UserInfo> users = new LinkedHashMap<>();
  final List<PermissionInfo> permissions = new ArrayList<>();
  final List<TopicPermissionInfo> topicPermissions = new ArrayList<>();
  final List<PolicyInfo> policies = new ArrayList<>();
  final Map<String, LimitInfo> vhostLimits = new LinkedHashMap<>();
  final Map<String, LimitInfo> userLimits = new LinkedHashMap<>();
  final Map<String, QueueSpec> queues = new LinkedHashMap<>();
  final Map<String, List<byte[]>> messages = new LinkedHashMap<>();
  final Map<String, ExchangeInfo> exchanges = new LinkedHashMap<>();
  final List<BindingInfo> bindings = new ArrayList<>();
  final List<ConnectionInfo> connections = new ArrayList<>();
  final List<String> closed = new ArrayList<>();

  FakeBroker() {
    putVhost(VhostInfo.named("/"));
    putUser(new UserInfo("guest", PasswordHashes.hash("guest"), List.of("administrator")));
    putPermission(new PermissionInfo("guest", "/", ".*", ".*", ".*"));
  }

  private static String key(String vhost, String name) {
    return vhost + "\0" + name;
  }

  @Override
  public NodeInfo node() {
    return new NodeInfo("warren@test", "warren@test", "0.1.0", 1000, 100, 1000, false, 10_000, 100, false, 10, 1024,
        2, List.of(new NodeInfo.Listener("amqp", "127.0.0.1", 5672)));
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
  public synchronized Principal authenticate(String user, String password, InetAddress peer) {
    UserInfo u = users.get(user);
    if (u == null || u.passwordHash().isEmpty()) {
      return null;
    }
    byte[] all = Base64.getDecoder().decode(u.passwordHash());
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(all, 0, 4);
      byte[] d = md.digest(password.getBytes(StandardCharsets.UTF_8));
      return MessageDigest.isEqual(d, java.util.Arrays.copyOfRange(all, 4, 36)) ? new Principal(user, u.tags()) : null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized boolean mayAccessVhost(String user, String vhost) {
    return permissions.stream().anyMatch(p -> p.user().equals(user) && p.vhost().equals(vhost));
  }

  @Override
  public synchronized boolean permitted(String user, String vhost, Access access, String resource) {
    return permissions.stream().filter(p -> p.user().equals(user) && p.vhost().equals(vhost)).anyMatch(p -> {
      String re = switch (access) {
        case CONFIGURE -> p.configure();
        case WRITE -> p.write();
        case READ -> p.read();
      };
      return resource.matches(re);
    });
  }

  @Override
  public synchronized List<VhostInfo> vhosts() {
    return List.copyOf(vhosts.values());
  }

  @Override
  public synchronized MessageCounters vhostCounters(String vhost) {
    return vhostCounters.get(vhost);
  }

  @Override
  public synchronized void putVhost(VhostInfo vhost) {
    if (!vhosts.containsKey(vhost.name())) {
      for (String t : List.of("direct", "fanout", "topic", "headers")) {
        exchanges.put(key(vhost.name(), "amq." + t), new ExchangeInfo(vhost.name(), "amq." + t, t, true, false,
            false, Map.of(), null, new MessageCounters()));
      }
      exchanges.put(key(vhost.name(), ""), new ExchangeInfo(vhost.name(), "", "direct", true, false, false, Map.of(),
          null, new MessageCounters()));
      vhostCounters.put(vhost.name(), new MessageCounters());
    }
    vhosts.put(vhost.name(), vhost);
  }

  @Override
  public synchronized boolean tracing(String vhost) {
    return tracing.contains(vhost);
  }

  @Override
  public synchronized void tracing(String vhost, boolean on) {
    if (!vhosts.containsKey(vhost)) {
      throw io.warren.management.spi.AdminException.notFound("vhost '" + vhost + "' not found");
    }
    if (on) {
      tracing.add(vhost);
    } else {
      tracing.remove(vhost);
    }
  }

  @Override
  public synchronized void deleteVhost(String name) {
    vhosts.remove(name);
    tracing.remove(name);
    permissions.removeIf(p -> p.vhost().equals(name));
    queues.values().removeIf(q -> q.vhost().equals(name));
    exchanges.values().removeIf(e -> e.vhost().equals(name));
    bindings.removeIf(b -> b.vhost().equals(name));
  }

  @Override
  public synchronized List<UserInfo> users() {
    return List.copyOf(users.values());
  }

  @Override
  public synchronized void putUser(UserInfo user) {
    users.put(user.name(), user);
  }

  @Override
  public synchronized void deleteUser(String name) {
    users.remove(name);
    permissions.removeIf(p -> p.user().equals(name));
  }

  @Override
  public synchronized List<PermissionInfo> permissions() {
    return List.copyOf(permissions);
  }

  @Override
  public synchronized void putPermission(PermissionInfo p) {
    deletePermission(p.user(), p.vhost());
    permissions.add(p);
  }

  @Override
  public synchronized void deletePermission(String user, String vhost) {
    permissions.removeIf(p -> p.user().equals(user) && p.vhost().equals(vhost));
  }

  @Override
  public synchronized List<TopicPermissionInfo> topicPermissions() {
    return List.copyOf(topicPermissions);
  }

  @Override
  public synchronized void putTopicPermission(TopicPermissionInfo p) {
    topicPermissions.removeIf(x -> x.user().equals(p.user()) && x.vhost().equals(p.vhost())
        && x.exchange().equals(p.exchange()));
    topicPermissions.add(p);
  }

  @Override
  public synchronized void deleteTopicPermission(String user, String vhost, String exchange) {
    topicPermissions.removeIf(x -> x.user().equals(user) && x.vhost().equals(vhost)
        && (exchange == null || x.exchange().equals(exchange)));
  }

  @Override
  public synchronized List<PolicyInfo> policies() {
    return List.copyOf(policies);
  }

  @Override
  public synchronized void putPolicy(PolicyInfo p) {
    requireVhost(p.vhost());
    deletePolicy(p.vhost(), p.name());
    policies.add(p);
  }

  @Override
  public synchronized void deletePolicy(String vhost, String name) {
    policies.removeIf(p -> p.vhost().equals(vhost) && p.name().equals(name));
  }

  @Override
  public synchronized List<LimitInfo> vhostLimits() {
    return List.copyOf(vhostLimits.values());
  }

  @Override
  public synchronized void putVhostLimits(LimitInfo limits) {
    requireVhost(limits.owner());
    vhostLimits.put(limits.owner(), limits);
  }

  @Override
  public synchronized List<LimitInfo> userLimits() {
    return List.copyOf(userLimits.values());
  }

  @Override
  public synchronized void putUserLimits(LimitInfo limits) {
    userLimits.put(limits.owner(), limits);
  }

  private void requireVhost(String v) {
    if (!vhosts.containsKey(v)) {
      throw AdminException.notFound("vhost '" + v + "' not found");
    }
  }

  private QueueInfo info(QueueSpec s) {
    List<byte[]> m = messages.getOrDefault(key(s.vhost(), s.name()), List.of());
    return new QueueInfo(s.vhost(), s.name(), s.durable(), s.autoDelete(), false, s.arguments(), "classic", null,
        m.size(), 0, m.stream().mapToLong(b -> b.length).sum(), 0, 0, null, new MessageCounters());
  }

  @Override
  public synchronized List<QueueInfo> queues(String vhost) {
    return queues.values().stream().filter(q -> vhost == null || q.vhost().equals(vhost)).map(this::info).toList();
  }

  @Override
  public synchronized QueueInfo queue(String vhost, String name) {
    QueueSpec s = queues.get(key(vhost, name));
    return s == null ? null : info(s);
  }

  @Override
  public synchronized void declareQueue(QueueSpec spec) {
    requireVhost(spec.vhost());
    QueueSpec old = queues.get(key(spec.vhost(), spec.name()));
    if (old != null && old.durable() != spec.durable()) {
      throw AdminException.badRequest("inequivalent arg 'durable' for queue '" + spec.name() + "'");
    }
    queues.put(key(spec.vhost(), spec.name()), spec);
    messages.putIfAbsent(key(spec.vhost(), spec.name()), new ArrayList<>());
  }

  @Override
  public synchronized void deleteQueue(String vhost, String name, boolean ifUnused, boolean ifEmpty) {
    if (ifEmpty && !messages.get(key(vhost, name)).isEmpty()) {
      throw AdminException.badRequest("queue '" + name + "' is not empty");
    }
    queues.remove(key(vhost, name));
    bindings.removeIf(b -> b.vhost().equals(vhost) && b.destinationType().equals("queue")
        && b.destination().equals(name));
  }

  @Override
  public synchronized long purgeQueue(String vhost, String name) {
    List<byte[]> m = messages.get(key(vhost, name));
    long n = m.size();
    m.clear();
    return n;
  }

  @Override
  public synchronized List<GotMessage> get(GetRequest r) {
    List<byte[]> m = messages.get(key(r.vhost(), r.queue()));
    List<GotMessage> out = new ArrayList<>();
    for (int i = 0; i < r.count() && !m.isEmpty(); i++) {
      byte[] b = r.requeue() ? m.get(i) : m.remove(0);
      out.add(new GotMessage("", r.queue(), false, m.size(), Map.of(), b));
      if (r.requeue() && i + 1 >= m.size()) {
        break;
      }
    }
    counters.add(Stat.GET, out.size());
    return out;
  }

  @Override
  public synchronized List<ExchangeInfo> exchanges(String vhost) {
    return exchanges.values().stream().filter(e -> vhost == null || e.vhost().equals(vhost)).toList();
  }

  @Override
  public synchronized ExchangeInfo exchange(String vhost, String name) {
    return exchanges.get(key(vhost, name));
  }

  @Override
  public synchronized void declareExchange(ExchangeInfo spec) {
    requireVhost(spec.vhost());
    exchanges.put(key(spec.vhost(), spec.name()), new ExchangeInfo(spec.vhost(), spec.name(), spec.type(),
        spec.durable(), spec.autoDelete(), spec.internal(), spec.arguments(), null, new MessageCounters()));
  }

  @Override
  public synchronized void deleteExchange(String vhost, String name, boolean ifUnused) {
    exchanges.remove(key(vhost, name));
    bindings.removeIf(b -> b.vhost().equals(vhost) && (b.source().equals(name)
        || (b.destinationType().equals("exchange") && b.destination().equals(name))));
  }

  @Override
  public synchronized boolean publish(PublishRequest r) {
    counters.add(Stat.PUBLISH);
    if (r.exchange().isEmpty()) {
      List<byte[]> m = messages.get(key(r.vhost(), r.routingKey()));
      if (m != null) {
        m.add(r.payload());
        return true;
      }
      return false;
    }
    boolean routed = false;
    for (BindingInfo b : bindings) {
      if (b.vhost().equals(r.vhost()) && b.source().equals(r.exchange()) && b.routingKey().equals(r.routingKey())
          && b.destinationType().equals("queue")) {
        messages.get(key(r.vhost(), b.destination())).add(r.payload());
        routed = true;
      }
    }
    return routed;
  }

  @Override
  public synchronized List<BindingInfo> bindings(String vhost) {
    return bindings.stream().filter(b -> vhost == null || b.vhost().equals(vhost)).toList();
  }

  @Override
  public synchronized void bind(BindingInfo binding) {
    if (exchange(binding.vhost(), binding.source()) == null) {
      throw AdminException.notFound("no exchange '" + binding.source() + "'");
    }
    if (!bindings.contains(binding)) {
      bindings.add(binding);
    }
  }

  @Override
  public synchronized boolean unbind(BindingInfo binding) {
    return bindings.remove(binding);
  }

  @Override
  public synchronized List<ConnectionInfo> connections() {
    return List.copyOf(connections);
  }

  @Override
  public synchronized boolean closeConnection(String name, String reason) {
    closed.add(name + ": " + reason);
    return connections.removeIf(c -> c.name().equals(name));
  }

  @Override
  public List<ChannelInfo> channels() {
    return List.of();
  }

  @Override
  public List<ConsumerInfo> consumers() {
    return List.of();
  }
}
