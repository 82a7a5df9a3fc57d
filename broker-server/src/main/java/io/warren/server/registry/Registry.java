package io.warren.server.registry;

import io.warren.server.auth.AccessControl;
import io.warren.server.auth.PasswordHash;
import io.warren.server.auth.Permission;
import io.warren.server.auth.TopicPermission;
import io.warren.server.auth.User;
import io.warren.server.config.Policies;
import io.warren.server.durable.DefinitionLog;
import io.warren.server.durable.DefinitionRecord;
import io.warren.server.durable.PolicyRecords.PolicyCleared;
import io.warren.server.durable.PolicyRecords.PolicySet;
import io.warren.server.durable.PolicyRecords.UserLimitsSet;
import io.warren.server.durable.PolicyRecords.VhostLimitsSet;
import io.warren.server.durable.RegistryContent;
import io.warren.server.durable.RegistryRecords.PermissionSet;
import io.warren.server.durable.RegistryRecords.TopicPermissionSet;
import io.warren.server.durable.RegistryRecords.UserDefined;
import io.warren.server.durable.RegistryRecords.UserDeleted;
import io.warren.server.durable.RegistryRecords.VhostDefined;
import io.warren.server.durable.RegistryRecords.VhostDeleted;
import io.warren.server.vhost.BrokerVhost;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The runtime registry: vhosts, users, permissions, topic permissions, policies, vhost and user limits, and the live
 * connections. Every change is a typed record appended to the definition log under this object's monitor, and the
 * change method returns only once that record is durable; replaying the records ({@link RegistryContent}) rebuilds
 * the same registry. Changes take effect at once: the AMQP side reads an immutable {@link AccessControl} and {@link
 * Policies} replaced on every change. Lock order: this registry, then a vhost's monitor (snapshots only), then the
 * connection counts. Thread-safe; change methods may wait for the disk, so call them from API threads, never from an
 * event loop. {@code package-info.java} lists the API.
 */
public final class Registry {
  private final DefinitionWrites writes;
  private final Set<String> loopbackUsers;
  private final VhostLifecycle lifecycle;
  private final RegistryContent content = new RegistryContent();
  private final Map<String, BrokerVhost> live = new ConcurrentHashMap<>();
  private final Connections connections = new Connections();
  private final RegistryPolicies policies;
  private final RegistryPermissions permissions;
  private volatile AccessControl access = new AccessControl(List.of(), List.of());

  /**
   * @param loopbackUsers user names that may only log in from a loopback address, whatever their record says (as
   *     RabbitMQ's {@code loopback_users}: a user created again under such a name is loopback-only too)
   */
  public Registry(DefinitionLog log, VhostLifecycle lifecycle, List<String> loopbackUsers) {
    this.loopbackUsers = Set.copyOf(loopbackUsers);
    this.writes = new DefinitionWrites(log);
    this.lifecycle = lifecycle;
    this.policies = new RegistryPolicies(this);
    this.permissions = new RegistryPermissions(this, content);
  }

  // ---- reads (AMQP side: lock-free) ----

  /** The users, permissions and topic permissions every check reads now. */
  public AccessControl access() {
    return access;
  }

  /** The running vhost, or null if there is none of that name. */
  public BrokerVhost vhost(String name) {
    return live.get(name);
  }

  /** Every running vhost. */
  public Collection<BrokerVhost> liveVhosts() {
    return List.copyOf(live.values());
  }

  /** The policies of a vhost, as queues and exchanges match them now. */
  public Policies policies(String vhost) {
    return policies.of(vhost);
  }

  public Connections connections() {
    return connections;
  }

  // ---- reads (API side) ----

  public synchronized List<VhostDefined> vhosts() {
    return List.copyOf(content.vhosts.values());
  }

  public synchronized Optional<VhostDefined> findVhost(String name) {
    return Optional.ofNullable(content.vhosts.get(name));
  }

  public synchronized List<UserDefined> users() {
    return List.copyOf(content.users.values());
  }

  public synchronized Optional<UserDefined> findUser(String name) {
    return Optional.ofNullable(content.users.get(name));
  }

  public synchronized List<PermissionSet> permissions() {
    return List.copyOf(content.permissions.values());
  }

  public synchronized Optional<PermissionSet> findPermission(String vhost, String user) {
    return Optional.ofNullable(content.permissions.get(RegistryContent.key(vhost, user)));
  }

  public synchronized List<TopicPermissionSet> topicPermissions() {
    return List.copyOf(content.topicPermissions.values());
  }

  public synchronized List<PolicySet> policyDefinitions() {
    return List.copyOf(content.policies.values());
  }

  public synchronized Optional<PolicySet> findPolicy(String vhost, String name) {
    return Optional.ofNullable(content.policies.get(RegistryContent.key(vhost, name)));
  }

  public synchronized List<VhostLimitsSet> vhostLimits() {
    return List.copyOf(content.vhostLimits.values());
  }

  public synchronized List<UserLimitsSet> userLimits() {
    return List.copyOf(content.userLimits.values());
  }

  // ---- vhosts ----

  /** Creates a vhost, or updates the description and tags of an existing one. */
  public void putVhost(String name, String description, List<String> tags) {
    DefinitionRules.requireName("vhost", name);
    long position;
    synchronized (this) {
      if (!live.containsKey(name)) {
        live.put(name, lifecycle.create(name));
      }
      position = change(new VhostDefined(name, description, tags == null ? List.of() : tags));
    }
    awaitDurable(position);
  }

  /**
   * Deletes a vhost with its permissions, policies and limits: its connections are closed (320 CONNECTION_FORCED
   * "vhost 'v' is deleted") and its queues and exchanges deleted with their durable state.
   */
  public void deleteVhost(String name) {
    BrokerVhost gone;
    long position;
    synchronized (this) {
      requireVhost(name);
      position = change(new VhostDeleted(name));
      gone = live.remove(name);
    }
    awaitDurable(position);
    connections.closeWhere(c -> c.vhostName().equals(name), "vhost '" + name + "' is deleted");
    if (gone != null) {
      CompletableFuture<Void> deleted = gone.deleteAll();
      lifecycle.deleted(gone);
      try {
        deleted.get(DefinitionWrites.DURABLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new RegistryException("vhost '" + name + "' is deleted, but its queues are still being deleted: " + e);
      }
    }
  }

  // ---- users ----

  /**
   * Creates or replaces a user. {@code passwordHash} null: no password login. A new user may connect from anywhere
   * unless its name is one of the loopback users; a replaced one keeps whether its record is loopback-only (a new
   * password must not open a user the configuration restricted to the network).
   */
  public void putUser(String name, PasswordHash passwordHash, List<String> tags) {
    DefinitionRules.requireName("user", name);
    long position;
    synchronized (this) {
      UserDefined old = content.users.get(name);
      position = change(new UserDefined(name, passwordHash, tags == null ? List.of() : tags,
          old != null && old.loopbackOnly()));
    }
    awaitDurable(position);
  }

  public void putUser(String name, PasswordHash passwordHash, List<String> tags, boolean loopbackOnly) {
    DefinitionRules.requireName("user", name);
    awaitDurable(changeLocked(new UserDefined(name, passwordHash, tags == null ? List.of() : tags, loopbackOnly)));
  }

  /** Deletes a user with its permissions and limits; its connections are closed ("user 'u' is deleted"). */
  public void deleteUser(String name) {
    long position;
    synchronized (this) {
      requireUser(name);
      position = change(new UserDeleted(name));
    }
    awaitDurable(position);
    connections.closeWhere(c -> c.userName().equals(name), "user '" + name + "' is deleted");
  }

  // ---- permissions (RegistryPermissions) ----

  /** Sets a user's configure/write/read regular expressions in a vhost (RabbitMQ's semantics; "" grants nothing). */
  public void setPermission(String user, String vhost, String configure, String write, String read) {
    permissions.set(user, vhost, configure, write, read);
  }

  public void clearPermission(String user, String vhost) {
    permissions.clear(user, vhost);
  }

  /** Sets a user's topic permission on an exchange of a vhost (see {@link RegistryPermissions#setTopic}). */
  public void setTopicPermission(String user, String vhost, String exchange, String write, String read) {
    permissions.setTopic(user, vhost, exchange, write, read);
  }

  /** Clears a user's topic permission on one exchange, or on every exchange of the vhost if exchange is null. */
  public void clearTopicPermission(String user, String vhost, String exchange) {
    permissions.clearTopic(user, vhost, exchange);
  }

  // ---- policies and limits ----

  /**
   * Sets a policy (RabbitMQ's model); it applies at once to the vhost's existing queues and exchanges.
   *
   * @param applyTo queues, exchanges or all (null: all)
   * @param definition RabbitMQ's policy keys with JSON-like values (Integer/Long/Double/String)
   */
  public void setPolicy(String vhost, String name, String pattern, String applyTo, int priority,
      Map<String, Object> definition) {
    DefinitionRules.requireName("policy", name);
    PolicySet record = RegistryPolicies.validate(vhost, name, pattern, applyTo, priority, definition);
    long position;
    synchronized (this) {
      requireVhost(vhost);
      position = change(record);
    }
    awaitDurable(position);
    policies.reapply(vhost);
  }

  public void clearPolicy(String vhost, String name) {
    long position;
    synchronized (this) {
      if (!content.policies.containsKey(RegistryContent.key(vhost, name))) {
        throw new NotFoundException("no policy '" + name + "' in vhost '" + vhost + "'");
      }
      position = change(new PolicyCleared(vhost, name));
    }
    awaitDurable(position);
    policies.reapply(vhost);
  }

  /** Sets a vhost's max-connections and max-queues (-1: no limit; both -1 clears them). */
  public void setVhostLimits(String vhost, int maxConnections, int maxQueues) {
    DefinitionRules.requireLimit("max-connections", maxConnections);
    DefinitionRules.requireLimit("max-queues", maxQueues);
    long position;
    synchronized (this) {
      requireVhost(vhost);
      position = change(new VhostLimitsSet(vhost, maxConnections, maxQueues));
    }
    awaitDurable(position);
  }

  /** Sets a user's max-connections and max-channels (-1: no limit; both -1 clears them). */
  public void setUserLimits(String user, int maxConnections, int maxChannels) {
    DefinitionRules.requireLimit("max-connections", maxConnections);
    DefinitionRules.requireLimit("max-channels", maxChannels);
    long position;
    synchronized (this) {
      requireUser(user);
      position = change(new UserLimitsSet(user, maxConnections, maxChannels));
    }
    awaitDurable(position);
  }

  // ---- live connections ----

  /**
   * Admits a connection to a vhost at connection.open: the vhost must exist and its and the user's connection limits
   * allow one more (otherwise a ConnectionException 530 with RabbitMQ's text). Returns the vhost.
   */
  public synchronized BrokerVhost admit(LiveConnection c) {
    BrokerVhost v = live.get(c.vhostName());
    if (v == null) {
      return null;
    }
    if (!content.permissions.containsKey(RegistryContent.key(c.vhostName(), c.userName()))) {
      // the user or its permissions went while it was logging in
      throw new io.warren.amqp.ConnectionException(io.warren.amqp.generated.ReplyCode.NOT_ALLOWED, "access to vhost '"
          + c.vhostName() + "' refused for user '" + c.userName() + "'", 10, 40);
    }
    VhostLimitsSet vl = content.vhostLimits.get(c.vhostName());
    UserLimitsSet ul = content.userLimits.get(c.userName());
    connections.admit(c, vl == null ? -1 : vl.maxConnections(), ul == null ? -1 : ul.maxConnections());
    return v;
  }

  /** Closes a connection (320 CONNECTION_FORCED with this reason), as the management UI's close button does. */
  public void closeConnection(String name, String reason) {
    LiveConnection c = connections.get(name);
    if (c == null) {
      throw new NotFoundException("no connection '" + name + "'");
    }
    c.close(reason == null || reason.isEmpty() ? "Closed via management plugin" : reason);
  }

  // ---- start-up and snapshots ----

  /** Starts from definitions found in the log or imported from the configuration (before any client connects). */
  public synchronized void load(RegistryContent from) {
    from.snapshot(List.of()).vhosts().forEach(v -> live.computeIfAbsent(v.name(), lifecycle::create));
    content.load(from.snapshot(List.of()));
    refresh();
  }

  /**
   * Appends a snapshot of every definition (registry and each vhost's durable topology), holding this registry's
   * monitor and then every vhost's (nothing else holds two vhost monitors), so that no change slips between reading
   * and appending. Returns its position.
   */
  public synchronized long writeSnapshot() {
    return writes.writeSnapshot(content, new ArrayList<>(live.values()));
  }

  /** Waits until everything appended to the log so far is durable. */
  public void awaitDurable(long position) {
    writes.awaitDurable(position);
  }

  // ---- internals ----

  private synchronized long changeLocked(DefinitionRecord record) {
    return change(record);
  }

  /** Logs a record and applies it; the caller holds this registry's monitor. */
  long change(DefinitionRecord record) {
    long position = writes.append(record);
    content.apply(record);
    refresh();
    return position;
  }

  /** Rebuilds what the AMQP side reads; the caller holds this registry's monitor. */
  private void refresh() {
    List<User> users = content.users.values().stream()
        .map(u -> new User(u.name(), u.passwordHash(), u.tags(),
            u.loopbackOnly() || loopbackUsers.contains(u.name()))).toList();
    List<Permission> perms = content.permissions.values().stream()
        .map(p -> new Permission(p.user(), p.vhost(), p.configure(), p.write(), p.read())).toList();
    List<TopicPermission> topics = content.topicPermissions.values().stream()
        .map(p -> new TopicPermission(p.user(), p.vhost(), p.exchange(), p.write(), p.read())).toList();
    access = new AccessControl(users, perms, topics);
    policies.rebuild(content.policies.values());
    for (BrokerVhost v : live.values()) {
      VhostLimitsSet l = content.vhostLimits.get(v.name());
      v.maxQueues(l == null ? -1 : l.maxQueues());
    }
    Map<String, Integer> maxChannels = new HashMap<>();
    content.userLimits.values().forEach(l -> maxChannels.put(l.user(), l.maxChannels()));
    connections.maxChannels(maxChannels);
  }

  void requireVhost(String name) {
    if (!content.vhosts.containsKey(name)) {
      throw new NotFoundException("vhost '" + name + "' does not exist");
    }
  }

  void requireUser(String name) {
    if (!content.users.containsKey(name)) {
      throw new NotFoundException("user '" + name + "' does not exist");
    }
  }

  /** Live vhosts matching a test (for the policy re-application). */
  List<BrokerVhost> liveWhere(Predicate<BrokerVhost> test) {
    return live.values().stream().filter(test).toList();
  }
}
