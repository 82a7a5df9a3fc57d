package io.warren.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import io.warren.server.auth.PasswordHash;
import io.warren.server.auth.Permission;
import io.warren.server.auth.User;
import io.warren.store.Residency;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reads the HOCON configuration: system properties over the {@link #ENVIRONMENT} variables over the given file over
 * the built-in defaults (the packaged copy of conf/warren.conf). Any thread.
 */
public final class ConfigLoader {
  private static final String DEFAULTS = "warren.conf";

  /** The environment variables that override the config file, and the keys they set. */
  public static final Map<String, String> ENVIRONMENT = Map.of(
      "WARREN_AMQP_PORT", "warren.amqp.port",
      "WARREN_DATA_DIR", "warren.data-dir",
      "WARREN_BIND_ADDRESS", "warren.amqp.bind-address",
      "WARREN_ADVERTISED_VERSION", "warren.server.version",
      "WARREN_HTTP_PORT", "warren.http.port",
      "WARREN_HTTP_BIND_ADDRESS", "warren.http.bind-address",
      "WARREN_DEFINITIONS_IMPORT_FILE", "warren.http.definitions-import-file");

  private ConfigLoader() {}

  /** Built-in defaults plus environment variables and system properties; no file. */
  public static BrokerConfig defaults() {
    return load(null);
  }

  /** @param file a config file of the user's, or null for the defaults alone */
  public static BrokerConfig load(Path file) {
    return load(file, System.getenv(), System.getProperties());
  }

  /**
   * Loads with the given environment and system properties instead of the process's own (tests use this).
   * Precedence, highest first: system properties, the {@link #ENVIRONMENT} variables, the file, the defaults.
   *
   * @throws IllegalArgumentException for an unreadable file or a bad value; the message names the key
   */
  public static BrokerConfig load(Path file, Map<String, String> env, Properties systemProperties) {
    try {
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
      // parsed here rather than ConfigFactory.systemProperties(), which caches the first set it sees
      Config fromProperties = ConfigFactory.parseProperties(systemProperties,
          ConfigParseOptions.defaults().setOriginDescription("system properties")).withOnlyPath("warren");
      Config resolved = fromProperties.withFallback(environmentOverrides(env)).withFallback(merged).resolve();
      return fromConfig(resolved);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
  }

  /**
   * The environment variables as a config layer. They are applied above the file, not through ${?VAR} lines in it,
   * so that they also override a user's own config file. An empty variable counts as unset.
   */
  private static Config environmentOverrides(Map<String, String> env) {
    Config c = ConfigFactory.empty();
    for (Map.Entry<String, String> e : ENVIRONMENT.entrySet()) {
      String value = env.get(e.getKey());
      if (value != null && !value.isEmpty()) {
        c = c.withValue(e.getValue(), ConfigValueFactory.fromAnyRef(value, "environment variable " + e.getKey()));
      }
    }
    return c;
  }

  /** @param c the resolved configuration; paths are read in full so that errors name the whole key */
  static BrokerConfig fromConfig(Config c) {
    try {
      var amqp = new BrokerConfig.AmqpListener(c.getString("warren.amqp.bind-address"), c.getInt("warren.amqp.port"),
          c.getBoolean("warren.amqp.native-transport"), c.getInt("warren.amqp.io-threads"),
          (int) Math.min(Integer.MAX_VALUE, c.getBytes("warren.amqp.receive-buffer")),
          (int) Math.min(Integer.MAX_VALUE, c.getBytes("warren.amqp.unsent-limit")));
      var server = new BrokerConfig.ServerIdentity(c.getString("warren.server.product"),
          c.getString("warren.server.version"),
          c.getString("warren.server.cluster-name"));
      var limits = new BrokerConfig.Limits(
          c.getInt("warren.limits.frame-max"),
          c.getInt("warren.limits.channel-max"),
          (int) c.getDuration("warren.limits.heartbeat", TimeUnit.SECONDS),
          c.getBytes("warren.limits.max-message-size"),
          c.getDuration("warren.limits.handshake-timeout", TimeUnit.MILLISECONDS),
          watermarkFraction(c),
          c.getBytes("warren.limits.disk-free-limit"),
          watermarkBytes(c),
          c.getString("warren.limits.total-memory").equals("auto") ? 0 : c.getBytes("warren.limits.total-memory"),
          c.getDuration("warren.limits.failed-login-delay", TimeUnit.MILLISECONDS));
      List<User> users = entries(c, "warren.users", u -> new User(u.getString("name"),
          PasswordHash.parse(u.getString("password-hash")),
          u.hasPath("tags") ? u.getStringList("tags") : List.of(),
          u.hasPath("loopback-only") && u.getBoolean("loopback-only")));
      List<Permission> permissions = entries(c, "warren.permissions", p -> new Permission(p.getString("user"),
          p.getString("vhost"), p.getString("configure"), p.getString("write"), p.getString("read")));
      int residentMessages = c.getInt("warren.queues.resident-messages");
      long residentBytes = c.getBytes("warren.queues.resident-bytes");
      if (residentMessages < 1 || residentBytes < 1) {
        throw new IllegalArgumentException("invalid configuration: warren.queues.resident-messages and "
            + "warren.queues.resident-bytes must be positive");
      }
      Policies policies = new Policies(entries(c, "warren.policies", Policy::parse));
      long consumerTimeout = c.getDuration("warren.queues.consumer-timeout", TimeUnit.MILLISECONDS);
      long maxBody = c.getBytes("warren.http.max-body-size");
      if (maxBody > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("invalid configuration: warren.http.max-body-size must be below 2 GiB");
      }
      var http = new BrokerConfig.Http(c.getBoolean("warren.http.enabled"), c.getString("warren.http.bind-address"),
          c.getInt("warren.http.port"), (int) maxBody, c.getBoolean("warren.http.metrics-auth"),
          c.getString("warren.http.definitions-import-file"),
          c.getDuration("warren.http.sample-interval", TimeUnit.MILLISECONDS));
      return new BrokerConfig(amqp, Path.of(c.getString("warren.data-dir")), server, limits, users,
          c.getStringList("warren.vhosts"), permissions, new Residency(residentMessages, residentBytes,
          c.getDouble("warren.queues.spill-watermark")), policies, consumerTimeout, http,
          c.getStringList("warren.loopback-users"));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
  }

  private static final String WATERMARK = "warren.limits.memory-high-watermark";

  /**
   * memory-high-watermark is either a fraction of the memory limit (a number below 1, like RabbitMQ's
   * vm_memory_high_watermark.relative) or a size (like its .absolute): "2GB", 2147483648.
   */
  private static boolean watermarkIsFraction(Config c) {
    if (c.getValue(WATERMARK).valueType() == com.typesafe.config.ConfigValueType.NUMBER) {
      return c.getDouble(WATERMARK) < 1;
    }
    try {
      return Double.parseDouble(c.getString(WATERMARK).trim()) < 1;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static double watermarkFraction(Config c) {
    return watermarkIsFraction(c) ? c.getDouble(WATERMARK) : BrokerConfig.Limits.DEFAULT_MEMORY_HIGH_WATERMARK;
  }

  private static long watermarkBytes(Config c) {
    return watermarkIsFraction(c) ? 0 : c.getBytes(WATERMARK);
  }

  /** Parses each entry of a list of objects; an error names the entry, e.g. "warren.users[1]". */
  private static <T> List<T> entries(Config c, String path, Function<Config, T> parse) {
    List<? extends Config> list = c.getConfigList(path);
    List<T> parsed = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      try {
        parsed.add(parse.apply(list.get(i)));
      } catch (ConfigException | IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid configuration: " + path + "[" + i + "]: " + e.getMessage(), e);
      }
    }
    return parsed;
  }
}
