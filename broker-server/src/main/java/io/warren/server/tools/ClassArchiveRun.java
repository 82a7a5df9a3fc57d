package io.warren.server.tools;

import io.warren.server.NodeApp;
import io.warren.server.config.BrokerConfig;
import io.warren.server.config.ConfigLoader;
import io.warren.server.mirror.PairConfig;
import io.warren.server.warmup.StartWarmUp;
import io.warren.server.warmup.WarmUpConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run bin/warren makes once after a build, under {@code -XX:ArchiveClassesAtExit}, so that the JVM writes the
 * classes a node loads into a class-data archive which every later start maps instead of loading and verifying them
 * from the jars again (on two cores that took the start from about 2 s of CPU to under 1 s). It loads what a real
 * start loads: the configuration (of {@code --config FILE} when given), a single node with its HTTP listener on
 * ephemeral ports in a temporary data directory, and the message path (the start warm-up's traffic through
 * a scratch broker, for up to {@value #TRAFFIC_MILLIS} ms); then it stops the node, deletes the directory and exits.
 * Nothing of it outlives the process but the archive. {@code Main [--config FILE]}.
 *
 * <p>Threads: the main thread only (the node's and the warm-up's own threads end before it returns).
 */
public final class ClassArchiveRun {
  private static final long TRAFFIC_MILLIS = 2_000;

  private ClassArchiveRun() {}

  public static void main(String[] args) throws IOException {
    Path configFile = args.length == 2 && args[0].equals("--config") ? Path.of(args[1]) : null;
    if (configFile != null) {
      try {
        // the same parsing a start does; a bad file is reported by the start itself, not here
        ConfigLoader.load(configFile);
        PairConfig.load(configFile, System.getProperties());
        WarmUpConfig.load(configFile, System.getProperties());
      } catch (IllegalArgumentException | IllegalStateException e) {
        // only the classes matter here
      }
    }
    Path dir = Files.createTempDirectory("warren-class-archive-");
    try {
      BrokerConfig c = ConfigLoader.defaults().withPort(0).withDataDir(dir.resolve("node"));
      BrokerConfig config = c.withHttp(c.http().onPort(0));
      try (NodeApp node = NodeApp.start(config, () -> { })) {
        StartWarmUp.run(config, TRAFFIC_MILLIS, () -> 0);
      }
    } finally {
      StartWarmUp.delete(dir);
    }
    System.exit(0);
  }
}
