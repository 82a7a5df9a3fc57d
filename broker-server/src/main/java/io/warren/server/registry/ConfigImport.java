package io.warren.server.registry;

import io.warren.server.auth.Permission;
import io.warren.server.auth.User;
import io.warren.server.config.BrokerConfig;
import io.warren.server.config.Policy;
import io.warren.server.durable.PolicyRecords.PolicySet;
import io.warren.server.durable.RegistryContent;
import io.warren.server.durable.RegistryRecords.PermissionSet;
import io.warren.server.durable.RegistryRecords.UserDefined;
import io.warren.server.durable.RegistryRecords.VhostDefined;
import java.util.List;

/**
 * The configuration file's vhosts, users, permissions and policies as registry records: what seeds the registry of a
 * data directory whose log holds none. Stateless; any thread.
 */
final class ConfigImport {
  private ConfigImport() {}

  static RegistryContent content(BrokerConfig config) {
    RegistryContent c = new RegistryContent();
    for (String v : config.vhosts()) {
      c.apply(new VhostDefined(v, "", List.of()));
    }
    for (User u : config.users()) {
      c.apply(new UserDefined(u.name(), u.passwordHash(), u.tags(), u.loopbackOnly()));
    }
    for (Permission p : config.permissions()) {
      c.apply(new PermissionSet(p.user(), p.vhost(), p.configure(), p.write(), p.read()));
    }
    // sorted by priority, equal priorities in configured order: the order Policies keeps for its tie-break
    for (Policy p : config.policies().all()) {
      c.apply(new PolicySet(p.vhost(), p.name(), p.pattern().pattern(), p.applyTo().value(), p.priority(),
          p.definition()));
    }
    return c;
  }
}
