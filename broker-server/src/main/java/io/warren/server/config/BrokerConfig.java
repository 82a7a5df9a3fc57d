package io.warren.server.config;

import io.warren.server.auth.Permission;
import io.warren.server.auth.User;
import io.warren.store.Residency;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The whole broker configuration, parsed once at start and passed down through constructors. Immutable; any thread.
 */
public record BrokerConfig(
    AmqpListener amqp,
    Path dataDir,
    ServerIdentity server,
    Limits limits,
    List<User> users,
    List<String> vhosts,
    List<Permission> permissions,
    Residency residency,
    Policies policies,
    long consumerTimeoutMillis,
    Http http,
    List<String> loopbackUsers) {

  /** RabbitMQ's default {@code loopback_users}: guest, by name, may only connect from a loopback address. */
  public static final List<String> DEFAULT_LOOPBACK_USERS = List.of("guest");

  /** With RabbitMQ's default loopback users. */
  public BrokerConfig(AmqpListener amqp, Path dataDir, ServerIdentity server, Limits limits, List<User> users,
      List<String> vhosts, List<Permission> permissions, Residency residency, Policies policies,
      long consumerTimeoutMillis, Http http) {
    this(amqp, dataDir, server, limits, users, vhosts, permissions, residency, policies, consumerTimeoutMillis, http,
        DEFAULT_LOOPBACK_USERS);
  }

  /** Without the management HTTP listener (programmatic configs; ConfigLoader reads warren.http). */
  public BrokerConfig(AmqpListener amqp, Path dataDir, ServerIdentity server, Limits limits, List<User> users,
      List<String> vhosts, List<Permission> permissions, Residency residency, Policies policies,
      long consumerTimeoutMillis) {
    this(amqp, dataDir, server, limits, users, vhosts, permissions, residency, policies, consumerTimeoutMillis,
        Http.DISABLED);
  }

  /** RabbitMQ's default consumer acknowledgement timeout (30 minutes). */
  public static final long DEFAULT_CONSUMER_TIMEOUT = 30 * 60 * 1000L;

  public BrokerConfig(AmqpListener amqp, Path dataDir, ServerIdentity server, Limits limits, List<User> users,
      List<String> vhosts, List<Permission> permissions, Residency residency) {
    this(amqp, dataDir, server, limits, users, vhosts, permissions, residency, Policies.NONE,
        DEFAULT_CONSUMER_TIMEOUT);
  }

  /** The built-in window: big enough that a consumer lagging by a burst is still served from memory. */
  public static final Residency DEFAULT_RESIDENCY = new Residency(16384, 64L << 20, 0.5);

  public BrokerConfig(AmqpListener amqp, Path dataDir, ServerIdentity server, Limits limits, List<User> users,
      List<String> vhosts, List<Permission> permissions) {
    this(amqp, dataDir, server, limits, users, vhosts, permissions, DEFAULT_RESIDENCY);
  }

  public BrokerConfig {
    Objects.requireNonNull(residency, "residency");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(policies, "policies");
    if (consumerTimeoutMillis < 1) {
      throw new IllegalArgumentException("warren.queues.consumer-timeout must be positive, got "
          + consumerTimeoutMillis + " ms");
    }
    Objects.requireNonNull(amqp, "amqp");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(limits, "limits");
    users = List.copyOf(users);
    vhosts = List.copyOf(vhosts);
    permissions = List.copyOf(permissions);
    loopbackUsers = loopbackUsers == null ? DEFAULT_LOOPBACK_USERS : List.copyOf(loopbackUsers);
    for (Permission p : permissions) {
      if (users.stream().noneMatch(u -> u.name().equals(p.user()))) {
        throw new IllegalArgumentException("permission for unknown user '" + p.user() + "'");
      }
      if (!vhosts.contains(p.vhost())) {
        throw new IllegalArgumentException("permission for unknown vhost '" + p.vhost() + "'");
      }
    }
    for (Policy p : policies.all()) {
      if (!vhosts.contains(p.vhost())) {
        throw new IllegalArgumentException("warren.policies: policy '" + p.name() + "' for unknown vhost '"
            + p.vhost() + "'");
      }
    }
  }

  /** A copy listening on another port (tests use port 0). */
  public BrokerConfig withPort(int port) {
    return new BrokerConfig(
        new AmqpListener(amqp.bindAddress(), port, amqp.nativeTransport(), amqp.ioThreads(), amqp.receiveBuffer(),
            amqp.unsentLimit()),
        dataDir, server, limits, users, vhosts, permissions, residency, policies,
        consumerTimeoutMillis, http, loopbackUsers);
  }

  public BrokerConfig withDataDir(Path dir) {
    return new BrokerConfig(amqp, dir, server, limits, users, vhosts, permissions, residency, policies,
        consumerTimeoutMillis, http, loopbackUsers);
  }

  public BrokerConfig withLimits(Limits newLimits) {
    return new BrokerConfig(amqp, dataDir, server, newLimits, users, vhosts, permissions, residency, policies,
        consumerTimeoutMillis, http, loopbackUsers);
  }

  public BrokerConfig withAccess(List<User> newUsers, List<String> newVhosts, List<Permission> newPermissions) {
    return new BrokerConfig(amqp, dataDir, server, limits, newUsers, newVhosts, newPermissions, residency, policies,
        consumerTimeoutMillis, http, loopbackUsers);
  }

  /** A copy keeping another amount of each queue's backlog in memory. */
  public BrokerConfig withResidency(Residency newResidency) {
    return new BrokerConfig(amqp, dataDir, server, limits, users, vhosts, permissions, newResidency, policies,
        consumerTimeoutMillis, http, loopbackUsers);
  }

  /** A copy with these policies (tests). */
  public BrokerConfig withPolicies(Policies newPolicies) {
    return new BrokerConfig(amqp, dataDir, server, limits, users, vhosts, permissions, residency, newPolicies,
        consumerTimeoutMillis, http, loopbackUsers);
  }

  /** A copy with another default consumer acknowledgement timeout (ms). */
  public BrokerConfig withConsumerTimeout(long millis) {
    return new BrokerConfig(amqp, dataDir, server, limits, users, vhosts, permissions, residency, policies, millis,
        http, loopbackUsers);
  }

  /** A copy advertising another product, version or cluster name in connection.start. */
  public BrokerConfig withServer(ServerIdentity newServer) {
    return new BrokerConfig(amqp, dataDir, newServer, limits, users, vhosts, permissions, residency, policies,
        consumerTimeoutMillis, http, loopbackUsers);
  }

  /** A copy with another management HTTP listener (tests use port 0). */
  public BrokerConfig withHttp(Http newHttp) {
    return new BrokerConfig(amqp, dataDir, server, limits, users, vhosts, permissions, residency, policies,
        consumerTimeoutMillis, newHttp, loopbackUsers);
  }

  /** A copy where only these users, by name, are refused from non-loopback addresses (empty: none). */
  public BrokerConfig withLoopbackUsers(List<String> names) {
    return new BrokerConfig(amqp, dataDir, server, limits, users, vhosts, permissions, residency, policies,
        consumerTimeoutMillis, http, names);
  }

  /**
   * The management HTTP listener (warren.http.*): API, Prometheus metrics, web UI.
   *
   * @param definitionsImportFile a RabbitMQ definitions JSON file imported at every start ("" for none)
   */
  public record Http(boolean enabled, String bindAddress, int port, int maxBodyBytes, boolean metricsAuth,
      String definitionsImportFile, long sampleIntervalMillis) {
    public static final long DEFAULT_SAMPLE_INTERVAL_MILLIS = 5000;
    public static final Http DISABLED = new Http(false, "127.0.0.1", 0, 20 << 20, false, "");

    /** Rates sampled every 5 s, as RabbitMQ's default collect_statistics_interval. */
    public Http(boolean enabled, String bindAddress, int port, int maxBodyBytes, boolean metricsAuth,
        String definitionsImportFile) {
      this(enabled, bindAddress, port, maxBodyBytes, metricsAuth, definitionsImportFile,
          DEFAULT_SAMPLE_INTERVAL_MILLIS);
    }

    public Http {
      Objects.requireNonNull(bindAddress, "bindAddress");
      Objects.requireNonNull(definitionsImportFile, "definitionsImportFile");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("warren.http.port must be 0..65535, got " + port);
      }
      if (maxBodyBytes < 1024) {
        throw new IllegalArgumentException("warren.http.max-body-size must be at least 1024 bytes, got "
            + maxBodyBytes);
      }
      if (sampleIntervalMillis < 100) {
        throw new IllegalArgumentException("warren.http.sample-interval must be at least 100ms, got "
            + sampleIntervalMillis + " ms");
      }
    }

    /** Enabled on this port, other settings as they are. */
    public Http onPort(int newPort) {
      return new Http(true, bindAddress, newPort, maxBodyBytes, metricsAuth, definitionsImportFile,
          sampleIntervalMillis);
    }

    /** Rates sampled at this interval, other settings as they are (tests use a short one). */
    public Http sampledEvery(long millis) {
      return new Http(enabled, bindAddress, port, maxBodyBytes, metricsAuth, definitionsImportFile, millis);
    }
  }

  /**
   * The AMQP listener.
   *
   * @param receiveBuffer each connection's socket receive buffer (SO_RCVBUF) in bytes; 0 leaves it to the OS
   * @param unsentLimit unsent bytes in a connection's socket above which it stops taking more (TCP_NOTSENT_LOWAT,
   *     native transport only); 0 leaves it to the OS
   */
  public record AmqpListener(String bindAddress, int port, boolean nativeTransport, int ioThreads,
      int receiveBuffer, int unsentLimit) {
    public AmqpListener {
      Objects.requireNonNull(bindAddress, "bindAddress");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("warren.amqp.port must be 0..65535, got " + port);
      }
      if (ioThreads < 0) {
        throw new IllegalArgumentException("warren.amqp.io-threads must be >= 0");
      }
      if (receiveBuffer < 0) {
        throw new IllegalArgumentException("warren.amqp.receive-buffer must be >= 0, got " + receiveBuffer);
      }
      if (unsentLimit < 0) {
        throw new IllegalArgumentException("warren.amqp.unsent-limit must be >= 0, got " + unsentLimit);
      }
    }
  }

  /** What connection.start advertises. */
  public record ServerIdentity(String product, String version, String clusterName) {
    public ServerIdentity {
      Objects.requireNonNull(product, "product");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(clusterName, "clusterName");
    }
  }

  /**
   * Protocol limits negotiated or enforced per connection, and the resource limits behind the alarms.
   *
   * @param memoryHighWatermark fraction of the memory limit (see {@code totalMemory}) above which publishers are
   *     blocked; 0 disables the memory alarm; ignored when {@code memoryHighWatermarkBytes} is set
   * @param memoryHighWatermarkBytes an absolute high watermark in bytes, or 0 to use the fraction
   * @param totalMemory the memory the broker may count on, or 0 to detect it (cgroup limit, physical RAM, and what
   *     the JVM may address: max heap + max direct memory)
   * @param failedLoginDelayMillis how long a failed login waits before it is refused
   */
  public record Limits(int frameMax, int channelMax, int heartbeatSeconds, long maxMessageSize,
      long handshakeTimeoutMillis, double memoryHighWatermark, long diskFreeLimit, long memoryHighWatermarkBytes,
      long totalMemory, long failedLoginDelayMillis) {
    public static final double DEFAULT_MEMORY_HIGH_WATERMARK = 0.4;
    public static final long DEFAULT_DISK_FREE_LIMIT = 50L * 1024 * 1024;
    /** RabbitMQ holds a failed login for 3 s before the refusal. */
    public static final long DEFAULT_FAILED_LOGIN_DELAY = 3000;

    public Limits(int frameMax, int channelMax, int heartbeatSeconds, long maxMessageSize,
        long handshakeTimeoutMillis) {
      this(frameMax, channelMax, heartbeatSeconds, maxMessageSize, handshakeTimeoutMillis,
          DEFAULT_MEMORY_HIGH_WATERMARK);
    }

    public Limits(int frameMax, int channelMax, int heartbeatSeconds, long maxMessageSize,
        long handshakeTimeoutMillis, double memoryHighWatermark) {
      this(frameMax, channelMax, heartbeatSeconds, maxMessageSize, handshakeTimeoutMillis, memoryHighWatermark,
          DEFAULT_DISK_FREE_LIMIT);
    }

    public Limits(int frameMax, int channelMax, int heartbeatSeconds, long maxMessageSize,
        long handshakeTimeoutMillis, double memoryHighWatermark, long diskFreeLimit) {
      this(frameMax, channelMax, heartbeatSeconds, maxMessageSize, handshakeTimeoutMillis, memoryHighWatermark,
          diskFreeLimit, 0, 0, DEFAULT_FAILED_LOGIN_DELAY);
    }

    /** The same limits with another free-disk limit (bytes; 0 disables the disk alarm). */
    public Limits withDiskFreeLimit(long bytes) {
      return new Limits(frameMax, channelMax, heartbeatSeconds, maxMessageSize, handshakeTimeoutMillis,
          memoryHighWatermark, bytes, memoryHighWatermarkBytes, totalMemory, failedLoginDelayMillis);
    }

    /** The same limits with another delay before a failed login is refused. */
    public Limits withFailedLoginDelay(long millis) {
      return new Limits(frameMax, channelMax, heartbeatSeconds, maxMessageSize, handshakeTimeoutMillis,
          memoryHighWatermark, diskFreeLimit, memoryHighWatermarkBytes, totalMemory, millis);
    }

    /** The same limits with another memory high watermark (absolute bytes, or 0 for the fraction) and limit. */
    public Limits withMemory(double fraction, long absoluteBytes, long total) {
      return new Limits(frameMax, channelMax, heartbeatSeconds, maxMessageSize, handshakeTimeoutMillis,
          fraction, diskFreeLimit, absoluteBytes, total, failedLoginDelayMillis);
    }

    public Limits {
      if (diskFreeLimit < 0) {
        throw new IllegalArgumentException("warren.limits.disk-free-limit must not be negative, got "
            + diskFreeLimit);
      }
      if (memoryHighWatermark < 0 || memoryHighWatermark > 0.95) {
        throw new IllegalArgumentException("warren.limits.memory-high-watermark must be 0..0.95 (a fraction) or "
            + "a size such as 2GB, got " + memoryHighWatermark);
      }
      if (memoryHighWatermarkBytes < 0 || totalMemory < 0) {
        throw new IllegalArgumentException("warren.limits.memory-high-watermark and warren.limits.total-memory "
            + "must not be negative");
      }
      if (failedLoginDelayMillis < 0 || failedLoginDelayMillis > 60_000) {
        throw new IllegalArgumentException("warren.limits.failed-login-delay must be 0..60s, got "
            + failedLoginDelayMillis + " ms");
      }
      if (frameMax < 4096) {
        throw new IllegalArgumentException("warren.limits.frame-max must be at least 4096, got " + frameMax);
      }
      if (channelMax < 1 || channelMax > 65535) {
        throw new IllegalArgumentException("warren.limits.channel-max must be 1..65535, got " + channelMax);
      }
      if (heartbeatSeconds < 0 || heartbeatSeconds > 65535) {
        throw new IllegalArgumentException("warren.limits.heartbeat must be 0..65535 s, got " + heartbeatSeconds);
      }
      if (maxMessageSize < 0 || maxMessageSize > 512L * 1024 * 1024) {
        throw new IllegalArgumentException("warren.limits.max-message-size must be 0..536870912");
      }
    }
  }
}
