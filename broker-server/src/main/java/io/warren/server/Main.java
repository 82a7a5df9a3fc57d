package io.warren.server;

import io.warren.server.config.BrokerConfig;
import io.warren.server.config.ConfigLoader;
import io.warren.server.mirror.PairConfig;
import io.warren.server.mirror.PairMember;
import io.warren.server.mirror.Witness;
import io.warren.server.warmup.StartWarmUp;
import io.warren.server.warmup.WarmUpConfig;
import io.warren.management.spi.Stat;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command-line entry point: {@code Main [--config FILE]} runs the broker (a single node, or a data node of a
 * mirrored pair when warren.mirror.enabled is on); {@code Main witness [--config FILE]} runs a pair's witness.
 * A single node with its HTTP listener runs as a {@link NodeApp}, whose broker can be stopped and started in place.
 * Runs until SIGTERM/SIGINT.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  /** How long the start took, in wall and CPU time (the CPU figure holds on a busy machine too). */
  private static void logStartTime() {
    long uptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
    long cpuNanos = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    LOG.info("Started {} ms after the JVM did, using {} ms of CPU time", uptime,
        cpuNanos < 0 ? "?" : Long.toString(cpuNanos / 1_000_000));
  }

  /**
   * warren.warm-up.before-listen: the warm-up on this (the main) thread, before the node opens its port, so that its
   * first clients meet compiled code and do not share the two cores with the warm-up. A failure only costs the warm-up.
   */
  private static void warmUpBeforeListen(BrokerConfig config, long maxMillis) {
    try {
      StartWarmUp.run(config, maxMillis, () -> 0);
    } catch (java.io.IOException | RuntimeException e) {
      LOG.warn("Warm-up failed (no harm done: the first clients will see the broker's cold start): {}", e.toString());
    }
  }

  public static void main(String[] args) throws Exception {
    Path configFile = null;
    boolean witness = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        configFile = Path.of(args[++i]);
      } else if (i == 0 && args[i].equals("witness")) {
        witness = true;
      } else {
        System.err.println("usage: warren [--config FILE] | warren witness [--config FILE]");
        System.exit(2);
      }
    }
    AutoCloseable running;
    LongSupplier published = () -> 0;
    StartWarmUp warmUp = null;
    try {
      BrokerConfig config = ConfigLoader.load(configFile);
      PairConfig pair = PairConfig.load(configFile, System.getProperties());
      WarmUpConfig warm = WarmUpConfig.load(configFile, System.getProperties());
      boolean warmUpFirst = !witness && !pair.enabled() && warm.enabled() && warm.maxMillis() > 0
          && warm.beforeListen();
      if (warmUpFirst) {
        warmUpBeforeListen(config, warm.maxMillis());
      }
      if (witness) {
        running = Witness.start(config, pair);
      } else if (pair.enabled()) {
        running = PairMember.start(config, pair, why -> {
          LOG.error("Warren stops: {}", why);
          // not on the calling (role) thread: stopping the node waits for that thread to end
          new Thread(() -> System.exit(1), "warren-exit").start();
        });
      } else if (config.http().enabled()) {
        // the HTTP listener outlives the broker, so that warrenctl stop_app/start_app can restart it in place;
        // the broker stops itself if its log fails: a non-zero status lets a supervisor restart it (recovery reopens
        // the log)
        NodeApp app = NodeApp.start(config, () -> System.exit(1));
        published = () -> {
          Broker b = app.broker();
          return b == null ? 0 : b.counters().get(Stat.PUBLISH);
        };
        running = app;
      } else {
        Broker broker = Broker.start(config);
        broker.onFailure(() -> System.exit(1));
        published = () -> broker.counters().get(Stat.PUBLISH);
        running = broker;
      }
      logStartTime();
      if (!witness && !pair.enabled() && warm.enabled() && warm.maxMillis() > 0 && !warm.beforeListen()) {
        warmUp = StartWarmUp.start(config, warm.maxMillis(), published);
      }
    } catch (IllegalArgumentException | IllegalStateException | java.io.IOException e) {
      LOG.error("Warren could not start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    StartWarmUp warming = warmUp;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Stopping Warren");
      if (warming != null) {
        warming.stop(5_000); // so that it deletes its scratch folder
      }
      try {
        running.close();
      } catch (Exception e) {
        LOG.warn("Stopping failed: {}", e.toString());
      }
      stopped.countDown();
    }, "warren-shutdown"));
    stopped.await();
  }
}
