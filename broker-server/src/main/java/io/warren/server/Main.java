package io.warren.server;

import io.warren.server.config.BrokerConfig;
import io.warren.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command-line entry point: {@code Main [--config FILE]}. Runs the broker until SIGTERM/SIGINT. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    Path configFile = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        configFile = Path.of(args[++i]);
      } else {
        System.err.println("usage: warren [--config FILE]");
        System.exit(2);
      }
    }
    BrokerConfig config;
    Broker broker;
    try {
      config = ConfigLoader.load(configFile);
      broker = Broker.start(config);
    } catch (IllegalArgumentException | IllegalStateException e) {
      LOG.error("Warren could not start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    // the broker stops itself if its log fails; a non-zero status lets a supervisor restart it (recovery reopens the log)
    broker.onFailure(() -> System.exit(1));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Stopping Warren");
      broker.close();
      stopped.countDown();
    }, "warren-shutdown"));
    stopped.await();
  }
}
