package io.warren.server.admin;

import io.warren.management.spi.Access;
import io.warren.management.spi.AdminException;
import io.warren.management.spi.LimitInfo;
import io.warren.management.spi.PermissionInfo;
import io.warren.management.spi.PolicyInfo;
import io.warren.management.spi.Principal;
import io.warren.management.spi.TopicPermissionInfo;
import io.warren.management.spi.UserInfo;
import io.warren.management.spi.VhostInfo;
import io.warren.server.auth.PasswordHash;
import io.warren.server.auth.Permission;
import io.warren.server.registry.Registry;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Vhosts, users, permissions, topic permissions, policies and limits for the management API, read from and changed
 * through the runtime registry (each change is durable before the call returns). Logins and permission checks use
 * the registry's access control as it is now. Management event loop.
 */
final class RegistryAccess {
  private final Registry registry;

  RegistryAccess(Registry registry) {
    this.registry = registry;
  }

  Principal authenticate(String user, String password, InetAddress peer) {
    return registry.access().authenticate(user, password, peer, new StringBuilder())
        .map(u -> new Principal(u.name(), u.tags())).orElse(null);
  }

  boolean mayAccessVhost(String user, String vhost) {
    return registry.access().mayOpen(user, vhost);
  }

  boolean permitted(String user, String vhost, Access kind, String resource) {
    return registry.access().allows(user, vhost, Permission.Operation.valueOf(kind.name()), resource);
  }

  List<VhostInfo> vhosts() {
    return registry.vhosts().stream().map(v -> new VhostInfo(v.name(), v.description(), v.tags(), null)).toList();
  }

  void putVhost(VhostInfo v) {
    Failures.run(() -> registry.putVhost(v.name(), v.description(), v.tags()));
  }

  void deleteVhost(String name) {
    Failures.run(() -> registry.deleteVhost(name));
  }

  List<UserInfo> users() {
    return registry.users().stream().map(u -> new UserInfo(u.name(),
        u.passwordHash() == null ? "" : u.passwordHash().encoded(), u.tags())).toList();
  }

  void putUser(UserInfo u) {
    PasswordHash hash;
    try {
      hash = u.passwordHash().isEmpty() ? null : PasswordHash.parse(u.passwordHash());
    } catch (IllegalArgumentException e) {
      throw AdminException.badRequest(e.getMessage());
    }
    Failures.run(() -> registry.putUser(u.name(), hash, u.tags()));
  }

  void deleteUser(String name) {
    Failures.run(() -> registry.deleteUser(name));
  }

  List<PermissionInfo> permissions() {
    return registry.permissions().stream().map(p -> new PermissionInfo(p.user(), p.vhost(), p.configure(),
        p.write(), p.read())).toList();
  }

  void putPermission(PermissionInfo p) {
    Failures.run(() -> registry.setPermission(p.user(), p.vhost(), p.configure(), p.write(), p.read()));
  }

  void deletePermission(String user, String vhost) {
    Failures.run(() -> registry.clearPermission(user, vhost));
  }

  List<TopicPermissionInfo> topicPermissions() {
    return registry.topicPermissions().stream().map(p -> new TopicPermissionInfo(p.user(), p.vhost(), p.exchange(),
        p.write(), p.read())).toList();
  }

  void putTopicPermission(TopicPermissionInfo p) {
    Failures.run(() -> registry.setTopicPermission(p.user(), p.vhost(), p.exchange(), p.write(), p.read()));
  }

  void deleteTopicPermission(String user, String vhost, String exchange) {
    Failures.run(() -> registry.clearTopicPermission(user, vhost, exchange));
  }

  List<PolicyInfo> policies() {
    return registry.policyDefinitions().stream().map(p -> new PolicyInfo(p.vhost(), p.name(), p.pattern(),
        p.applyTo(), p.priority(), p.definition().toMap())).toList();
  }

  void putPolicy(PolicyInfo p) {
    Failures.run(() -> registry.setPolicy(p.vhost(), p.name(), p.pattern(), p.applyTo(), p.priority(),
        p.definition()));
  }

  void deletePolicy(String vhost, String name) {
    Failures.run(() -> registry.clearPolicy(vhost, name));
  }

  List<LimitInfo> vhostLimits() {
    return registry.vhostLimits().stream().map(l -> new LimitInfo(l.vhost(), limits("max-connections",
        l.maxConnections(), "max-queues", l.maxQueues()))).toList();
  }

  void putVhostLimits(LimitInfo l) {
    int connections = limit(l.value(), "max-connections");
    int queues = limit(l.value(), "max-queues");
    Failures.run(() -> registry.setVhostLimits(l.owner(), connections, queues));
  }

  List<LimitInfo> userLimits() {
    return registry.userLimits().stream().map(l -> new LimitInfo(l.user(), limits("max-connections",
        l.maxConnections(), "max-channels", l.maxChannels()))).toList();
  }

  void putUserLimits(LimitInfo l) {
    int connections = limit(l.value(), "max-connections");
    int channels = limit(l.value(), "max-channels");
    Failures.run(() -> registry.setUserLimits(l.owner(), connections, channels));
  }

  /** The limits that are set (-1 means none, as RabbitMQ leaves unset limits out). */
  private static Map<String, Long> limits(String k1, int v1, String k2, int v2) {
    Map<String, Long> m = new LinkedHashMap<>();
    if (v1 >= 0) {
      m.put(k1, (long) v1);
    }
    if (v2 >= 0) {
      m.put(k2, (long) v2);
    }
    return m;
  }

  private static int limit(Map<String, Long> values, String key) {
    Long v = values.get(key);
    if (v == null || v < 0) {
      return -1;
    }
    if (v > Integer.MAX_VALUE) {
      throw AdminException.badRequest(key + " must be at most " + Integer.MAX_VALUE);
    }
    return v.intValue();
  }
}
