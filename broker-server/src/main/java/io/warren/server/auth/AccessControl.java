package io.warren.server.auth;

import io.warren.server.auth.Permission.Operation;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Users, their per-vhost permissions and topic permissions, checked the way RabbitMQ checks them. Immutable: the
 * registry builds a new one for every change, so holders can tell a change by identity. Any thread.
 */
public final class AccessControl {
  private final Map<String, User> users = new HashMap<>();
  private final Map<String, Permission> permissions = new HashMap<>();
  /** Per user and vhost, per exchange. */
  private final Map<String, Map<String, TopicPermission>> topicPermissions = new HashMap<>();

  public AccessControl(List<User> users, List<Permission> permissions) {
    this(users, permissions, List.of());
  }

  public AccessControl(List<User> users, List<Permission> permissions, List<TopicPermission> topicPermissions) {
    for (TopicPermission t : topicPermissions) {
      this.topicPermissions.computeIfAbsent(key(t.user(), t.vhost()), k -> new HashMap<>()).put(t.exchange(), t);
    }
    for (User u : users) {
      if (this.users.put(u.name(), u) != null) {
        throw new IllegalArgumentException("user '" + u.name() + "' is defined twice");
      }
    }
    for (Permission p : permissions) {
      if (this.permissions.put(key(p.user(), p.vhost()), p) != null) {
        throw new IllegalArgumentException(
            "permissions for user '" + p.user() + "' in vhost '" + p.vhost() + "' are defined twice");
      }
    }
  }

  /**
   * Checks a username and password from a connection at the given address. Empty means refused; the reason stays in
   * the broker's log, as the client only learns that the login was refused.
   */
  public Optional<User> authenticate(String username, String password, InetAddress peer, StringBuilder why) {
    User user = users.get(username);
    if (user == null) {
      why.append("user '").append(username).append("' does not exist");
      return Optional.empty();
    }
    if (user.passwordHash() == null || !user.passwordHash().matches(password)) {
      why.append("invalid credentials for user '").append(username).append('\'');
      return Optional.empty();
    }
    if (user.loopbackOnly() && (peer == null || !peer.isLoopbackAddress())) {
      why.append("user '").append(username).append("' can only connect via localhost");
      return Optional.empty();
    }
    return Optional.of(user);
  }

  /** Whether the user has any permissions in the vhost (RabbitMQ refuses connection.open otherwise). */
  public boolean mayOpen(String user, String vhost) {
    return permissions.containsKey(key(user, vhost));
  }

  public boolean allows(String user, String vhost, Operation op, String resourceName) {
    Permission p = permissions.get(key(user, vhost));
    return p != null && p.allows(op, resourceName);
  }

  /** The user's topic permissions in the vhost, by exchange (empty: every routing key is allowed). */
  public Map<String, TopicPermission> topicPermissions(String user, String vhost) {
    Map<String, TopicPermission> m = topicPermissions.get(key(user, vhost));
    return m == null ? Map.of() : m;
  }

  /** The user, or null. */
  public User user(String name) {
    return users.get(name);
  }

  private static String key(String user, String vhost) {
    return user + '\u0000' + vhost;
  }
}
