package io.warren.server.mirror;

import io.warren.server.Broker;
import io.warren.server.config.BrokerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops a throwaway broker once, in the background, when a data node starts: on an empty log of its own
 * (DATA/warmup), AMQP on an ephemeral port, no HTTP. A node's first broker start loads and compiles a great deal of
 * code (measured here: 1.5-2.5 s on a busy 2-core machine, against 0.1-0.3 s for a later one); doing it ahead means a
 * promotion, which starts the real broker, pays only the recovery of its log. Thread "warren-mirror-warmup", at the
 * lowest priority.
 */
final class BrokerWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerWarmUp.class);

    private BrokerWarmUp() {
    }

    static void start(BrokerConfig config) {
        Thread t = new Thread(() -> run(config), "warren-mirror-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void run(BrokerConfig config) {
        Path dir = config.dataDir().resolve("warmup");
        long t0 = System.nanoTime();
        try {
            delete(dir);
            BrokerConfig.Http http = config.http();
            Broker broker = Broker.start(config.withDataDir(dir).withPort(0).withHttp(new BrokerConfig.Http(false,
                http.bindAddress(), 0, http.maxBodyBytes(), http.metricsAuth(), "")));
            broker.close();
            LOG.info("Broker code warmed up for a promotion in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Warming the broker code up failed (a promotion will take longer): {}", e.toString());
        } finally {
            try {
                delete(dir);
            } catch (IOException e) {
                LOG.warn("Could not delete {}: {}", dir, e.toString());
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
