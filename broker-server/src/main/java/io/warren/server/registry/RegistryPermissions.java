package io.warren.server.registry;

import io.warren.server.auth.TopicPermission;
import io.warren.server.durable.RegistryContent;
import io.warren.server.durable.RegistryRecords.PermissionCleared;
import io.warren.server.durable.RegistryRecords.PermissionSet;
import io.warren.server.durable.RegistryRecords.TopicPermissionCleared;
import io.warren.server.durable.RegistryRecords.TopicPermissionSet;
import java.util.List;

/**
 * Permission and topic-permission changes of the {@link Registry}: validated, logged and applied under the
 * registry's monitor like every other change, then awaited durable outside it. Thread-safe; may wait for the disk.
 */
final class RegistryPermissions {
  private final Registry registry;
  private final RegistryContent content;

  RegistryPermissions(Registry registry, RegistryContent content) {
    this.registry = registry;
    this.content = content;
  }

  void set(String user, String vhost, String configure, String write, String read) {
    DefinitionRules.compile(configure);
    DefinitionRules.compile(write);
    DefinitionRules.compile(read);
    long position;
    synchronized (registry) {
      registry.requireUser(user);
      registry.requireVhost(vhost);
      position = registry.change(new PermissionSet(user, vhost, configure, write, read));
    }
    registry.awaitDurable(position);
  }

  void clear(String user, String vhost) {
    long position;
    synchronized (registry) {
      if (!content.permissions.containsKey(RegistryContent.key(vhost, user))) {
        throw new NotFoundException("no permissions for user '" + user + "' in vhost '" + vhost + "'");
      }
      position = registry.change(new PermissionCleared(user, vhost));
    }
    registry.awaitDurable(position);
  }

  /**
   * Sets a user's topic permission on an exchange of a vhost: regular expressions on routing keys, checked on publish
   * (write) and on binding (read) to a topic exchange; {username} and {vhost} are expanded.
   */
  void setTopic(String user, String vhost, String exchange, String write, String read) {
    DefinitionRules.requireName("exchange", exchange);
    try {
      new TopicPermission(user, vhost, exchange, write, read);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidDefinitionException(e.getMessage(), e);
    }
    long position;
    synchronized (registry) {
      registry.requireUser(user);
      registry.requireVhost(vhost);
      position = registry.change(new TopicPermissionSet(user, vhost, exchange, write, read));
    }
    registry.awaitDurable(position);
  }

  void clearTopic(String user, String vhost, String exchange) {
    long position = -1;
    synchronized (registry) {
      List<TopicPermissionSet> matching = content.topicPermissions.values().stream()
          .filter(p -> p.user().equals(user) && p.vhost().equals(vhost)
              && (exchange == null || p.exchange().equals(exchange))).toList();
      if (matching.isEmpty()) {
        throw new NotFoundException("no topic permissions for user '" + user + "' in vhost '" + vhost + "'"
            + (exchange == null ? "" : " on exchange '" + exchange + "'"));
      }
      for (TopicPermissionSet p : matching) {
        position = registry.change(new TopicPermissionCleared(user, vhost, p.exchange()));
      }
    }
    registry.awaitDurable(position);
  }
}
