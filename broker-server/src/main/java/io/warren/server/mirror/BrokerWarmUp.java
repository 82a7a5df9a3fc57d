package io.warren.server.mirror;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.amqp.BasicProperties;
import io.warren.server.Broker;
import io.warren.server.config.BrokerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.warren.server.vhost.BrokerVhost;
import io.warren.server.vhost.Republisher;
import io.warren.store.Message;
import io.warren.store.QueueSettings;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the code a promotion runs, once, in the background, when a data node starts, on a throwaway broker of its own
 * (DATA/warmup, AMQP and HTTP on ephemeral loopback ports): a start on an empty log, persistent messages written to a
 * durable queue, then {@link #RECOVERIES} starts that recover them. A node's first broker start loads and compiles a
 * great deal of code (1.5-2.5 s on a busy 2-core machine, against 0.1-0.3 s for a later one), and the replay of a log
 * runs interpreted until it has been run enough (measured on a 1.9 MB log: 1.3 s the first time, 250 ms the second,
 * about 20 ms from the tenth on); a promotion replayed a 16 MB log in 0.4-3.8 s while the warm-up
 * started the broker on an empty log only. Thread "warren-mirror-warmup", at the lowest priority.
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
            BrokerConfig scratch = config.withDataDir(dir).withPort(0).withHttp(new BrokerConfig.Http(true,
                "127.0.0.1", 0, http.maxBodyBytes(), http.metricsAuth(), ""));
            Broker broker = Broker.start(scratch);
            try {
                fill(broker);
            } finally {
                broker.close();
            }
            for (int i = 0; i < RECOVERIES; i++) {
                Broker.start(scratch).close();
            }
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

    /** How many messages the warm-up writes, and how many times it recovers them: enough for the JIT to compile the replay. */
    static final int MESSAGES = 2000;
    static final int RECOVERIES = 10;
    private static final String QUEUE = "warren.warmup";

    /** Declares a durable queue in the broker's first vhost and publishes {@link #MESSAGES} persistent 1 KiB messages to it. */
    private static void fill(Broker broker) {
        BrokerVhost vhost = broker.registry().liveVhosts().stream().findFirst().orElse(null);
        if (vhost == null) {
            return;
        }
        vhost.declare(new QueueSettings(QUEUE, true, false, false, Map.of()), null);
        ByteBuf properties = Unpooled.buffer();
        BasicProperties.builder().deliveryMode(2).build().encode(properties);
        ByteBuf body = Unpooled.wrappedBuffer(new byte[1024]);
        try {
            for (int i = 0; i < MESSAGES; i++) {
                Republisher.publish(vhost, new Republisher.Outgoing("", QUEUE, Map.of(), properties.retainedDuplicate(),
                    body.retainedDuplicate(), true, 0, System.currentTimeMillis(), Message.NEVER), null);
            }
        } finally {
            properties.release();
            body.release();
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
