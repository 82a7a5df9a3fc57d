package io.warren.server.durable;

import io.warren.server.durable.PolicyRecords.PolicyCleared;
import io.warren.server.durable.PolicyRecords.PolicySet;
import io.warren.server.durable.PolicyRecords.UserLimitsSet;
import io.warren.server.durable.PolicyRecords.VhostLimitsSet;
import io.warren.server.durable.RegistryRecords.PermissionCleared;
import io.warren.server.durable.RegistryRecords.PermissionSet;
import io.warren.server.durable.RegistryRecords.TopicPermissionCleared;
import io.warren.server.durable.RegistryRecords.TopicPermissionSet;
import io.warren.server.durable.RegistryRecords.UserDefined;
import io.warren.server.durable.RegistryRecords.UserDeleted;
import io.warren.server.durable.RegistryRecords.VhostDefined;
import io.warren.server.durable.RegistryRecords.VhostDeleted;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry's definitions as the records that made them, keyed as RabbitMQ keys them. The one place that says
 * what a registry record does, used both by the running registry and by replay, so that replaying the log (at start
 * or on another node) rebuilds exactly what the changes built. Deleting a vhost drops its permissions, topic
 * permissions, policies and limits; deleting a user drops its permissions, topic permissions and limits (as in
 * RabbitMQ). Not thread-safe: the owner serializes access.
 */
public final class RegistryContent {
  public final Map<String, VhostDefined> vhosts = new LinkedHashMap<>();
  public final Map<String, UserDefined> users = new LinkedHashMap<>();
  /** Keyed by {@link #key}(vhost, user). */
  public final Map<String, PermissionSet> permissions = new LinkedHashMap<>();
  /** Keyed by {@link #key}(vhost, user, exchange). */
  public final Map<String, TopicPermissionSet> topicPermissions = new LinkedHashMap<>();
  /** Keyed by {@link #key}(vhost, name). */
  public final Map<String, PolicySet> policies = new LinkedHashMap<>();
  public final Map<String, VhostLimitsSet> vhostLimits = new LinkedHashMap<>();
  public final Map<String, UserLimitsSet> userLimits = new LinkedHashMap<>();
  /** Whether any registry record or registry snapshot was applied (an old log has none). */
  private boolean defined;

  public static String key(String... parts) {
    return String.join("\u0000", parts);
  }

  public boolean defined() {
    return defined;
  }

  /** Applies a registry record; returns false for any other record (topology), which it ignores. */
  public boolean apply(DefinitionRecord record) {
    if (record instanceof VhostDefined v) {
      vhosts.put(v.name(), v);
    } else if (record instanceof VhostDeleted v) {
      vhosts.remove(v.name());
      permissions.values().removeIf(p -> p.vhost().equals(v.name()));
      topicPermissions.values().removeIf(p -> p.vhost().equals(v.name()));
      policies.values().removeIf(p -> p.vhost().equals(v.name()));
      vhostLimits.remove(v.name());
    } else if (record instanceof UserDefined u) {
      users.put(u.name(), u);
    } else if (record instanceof UserDeleted u) {
      users.remove(u.name());
      permissions.values().removeIf(p -> p.user().equals(u.name()));
      topicPermissions.values().removeIf(p -> p.user().equals(u.name()));
      userLimits.remove(u.name());
    } else if (record instanceof PermissionSet p) {
      permissions.put(key(p.vhost(), p.user()), p);
    } else if (record instanceof PermissionCleared p) {
      permissions.remove(key(p.vhost(), p.user()));
    } else if (record instanceof TopicPermissionSet p) {
      topicPermissions.put(key(p.vhost(), p.user(), p.exchange()), p);
    } else if (record instanceof TopicPermissionCleared p) {
      topicPermissions.remove(key(p.vhost(), p.user(), p.exchange()));
    } else if (record instanceof PolicySet p) {
      policies.put(key(p.vhost(), p.name()), p);
    } else if (record instanceof PolicyCleared p) {
      policies.remove(key(p.vhost(), p.name()));
    } else if (record instanceof VhostLimitsSet l) {
      if (l.maxConnections() < 0 && l.maxQueues() < 0) {
        vhostLimits.remove(l.vhost());
      } else {
        vhostLimits.put(l.vhost(), l);
      }
    } else if (record instanceof UserLimitsSet l) {
      if (l.maxConnections() < 0 && l.maxChannels() < 0) {
        userLimits.remove(l.user());
      } else {
        userLimits.put(l.user(), l);
      }
    } else {
      return false;
    }
    defined = true;
    return true;
  }

  /** Replaces everything with a snapshot's registry (if it has one). */
  public void load(DefinitionsSnapshot s) {
    if (!s.withRegistry()) {
      return;
    }
    vhosts.clear();
    users.clear();
    permissions.clear();
    topicPermissions.clear();
    policies.clear();
    vhostLimits.clear();
    userLimits.clear();
    s.vhosts().forEach(this::apply);
    s.users().forEach(this::apply);
    s.permissions().forEach(this::apply);
    s.topicPermissions().forEach(this::apply);
    s.policies().forEach(this::apply);
    s.vhostLimits().forEach(this::apply);
    s.userLimits().forEach(this::apply);
    defined = true;
  }

  /** A snapshot of this content with these topologies. */
  public DefinitionsSnapshot snapshot(List<DefinitionsSnapshot.Topology> topologies) {
    return new DefinitionsSnapshot(true, new ArrayList<>(vhosts.values()), new ArrayList<>(users.values()),
        new ArrayList<>(permissions.values()), new ArrayList<>(topicPermissions.values()),
        new ArrayList<>(policies.values()), new ArrayList<>(vhostLimits.values()),
        new ArrayList<>(userLimits.values()), topologies);
  }
}
