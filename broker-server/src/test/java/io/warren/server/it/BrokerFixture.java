package io.warren.server.it;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.server.Broker;
import io.warren.server.config.BrokerConfig;
import io.warren.server.config.ConfigLoader;
import io.warren.server.registry.LiveConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** An in-process broker on a free port with a temporary data directory, for integration tests. */
public final class BrokerFixture implements AutoCloseable {
  private Broker broker;
  private final Path dataDir;
  private final BrokerConfig config;

  private BrokerFixture(Broker broker, Path dataDir, BrokerConfig config) {
    this.broker = broker;
    this.dataDir = dataDir;
    this.config = config;
  }

  public static BrokerFixture start() {
    return start(UnaryOperator.identity());
  }

  public static BrokerFixture start(UnaryOperator<BrokerConfig> customize) {
    try {
      Path dir = Files.createTempDirectory("warren-it");
      BrokerConfig config = customize.apply(ConfigLoader.defaults().withPort(0).withDataDir(dir));
      return new BrokerFixture(Broker.start(config), dir, config);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops the broker (as on SIGTERM) and starts a new one on the same data directory; the port changes. */
  public void restart() {
    try {
      restart(() -> { });
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Like {@link #restart()}, doing {@code whileStopped} (e.g. damaging files) between stop and start. */
  public void restart(ThrowingRunnable whileStopped) throws Exception {
    broker.close();
    whileStopped.run();
    broker = Broker.start(config);
  }

  /** Work done while the broker is stopped. */
  public interface ThrowingRunnable {
    void run() throws Exception;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Broker broker() {
    return broker;
  }

  public int port() {
    return broker.port();
  }

  public ConnectionFactory factory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(port());
    f.setUsername("guest");
    f.setPassword("guest");
    f.setAutomaticRecoveryEnabled(false);
    f.setConnectionTimeout(5000);
    f.setChannelRpcTimeout(10000);
    return f;
  }

  public Connection connect() {
    try {
      return factory().newConnection();
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect to the test broker", e);
    }
  }

  /** The state ("running", "flow", "blocked"...) of the connection whose client named itself {@code clientName}, or null. */
  public String connectionState(String clientName) {
    for (LiveConnection c : broker.registry().connections().list()) {
      var info = c.info();
      if (clientName.equals(String.valueOf(info.clientProperties().get("connection_name")))) {
        return info.state();
      }
    }
    return null;
  }

  @Override
  public void close() {
    broker.close();
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: the temp dir is not worth failing a test for
    }
  }
}
