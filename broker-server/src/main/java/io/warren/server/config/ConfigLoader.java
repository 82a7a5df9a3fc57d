package io.warren.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.warren.server.auth.PasswordHash;
import io.warren.server.auth.Permission;
import io.warren.server.auth.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads the HOCON configuration: system properties over the given file over the built-in defaults (the packaged copy
 * of conf/warren.conf). Environment variables are substituted by the ${?VAR} lines of the file. Any thread.
 */
public final class ConfigLoader {
  private static final String DEFAULTS = "warren.conf";

  private ConfigLoader() {}

  /** Built-in defaults plus system properties; no file. */
  public static BrokerConfig defaults() {
    return load(null);
  }

  /** @param file a config file of the user's, or null for the defaults alone */
  public static BrokerConfig load(Path file) {
    Config defaults = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), DEFAULTS,
        ConfigParseOptions.defaults().setAllowMissing(false));
    Config merged = defaults;
    if (file != null) {
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException("cannot read config file " + file.toAbsolutePath());
      }
      merged = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
          .withFallback(defaults);
    }
    Config resolved = ConfigFactory.systemProperties().withOnlyPath("warren").withFallback(merged).resolve();
    return fromConfig(resolved.getConfig("warren"));
  }

  static BrokerConfig fromConfig(Config c) {
    try {
      var amqp = new BrokerConfig.AmqpListener(c.getString("amqp.bind-address"), c.getInt("amqp.port"),
          c.getBoolean("amqp.native-transport"), c.getInt("amqp.io-threads"));
      var server = new BrokerConfig.ServerIdentity(c.getString("server.product"), c.getString("server.version"),
          c.getString("server.cluster-name"));
      var limits = new BrokerConfig.Limits(
          c.getInt("limits.frame-max"),
          c.getInt("limits.channel-max"),
          (int) c.getDuration("limits.heartbeat", TimeUnit.SECONDS),
          c.getBytes("limits.max-message-size"),
          c.getDuration("limits.handshake-timeout", TimeUnit.MILLISECONDS));
      List<User> users = c.getConfigList("users").stream()
          .map(u -> new User(u.getString("name"), PasswordHash.parse(u.getString("password-hash")),
              u.hasPath("tags") ? u.getStringList("tags") : List.of(),
              u.hasPath("loopback-only") && u.getBoolean("loopback-only")))
          .toList();
      List<Permission> permissions = c.getConfigList("permissions").stream()
          .map(p -> new Permission(p.getString("user"), p.getString("vhost"), p.getString("configure"),
              p.getString("write"), p.getString("read")))
          .toList();
      return new BrokerConfig(amqp, Path.of(c.getString("data-dir")), server, limits, users,
          c.getStringList("vhosts"), permissions);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
  }
}
