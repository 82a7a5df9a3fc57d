package io.warren.server.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.warren.management.Http;
import io.warren.server.NodeApp;
import io.warren.server.config.BrokerConfig;
import io.warren.server.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start warm-up next to a running single node: it really pushes messages through its scratch broker, and leaves
 * nothing behind (no folder, no thread, nothing visible through the node's management API or to its clients).
 */
class StartWarmUpIT {
    @TempDir
    Path dataDir;
    private NodeApp node;
    private Http http;
    private BrokerConfig config;

    @BeforeEach
    void start() {
        BrokerConfig c = ConfigLoader.defaults().withPort(0).withDataDir(dataDir);
        config = c.withHttp(c.http().onPort(0));
        node = NodeApp.start(config, () -> { });
        http = new Http(node.management().port());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static Set<Long> threadIds() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getId)
            .collect(Collectors.toSet());
    }

    private static List<String> threadsNotIn(Set<Long> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !before.contains(t.getId()))
            .map(Thread::getName).filter(n -> !n.startsWith("awaitility")).toList();
    }

    private String api(String path) throws Exception {
        JsonNode n = http.json(path);
        return n.toString();
    }

    @Test
    void pushesMessagesThroughAScratchBrokerAndLeavesNothingBehind() throws Exception {
        List<String> paths = List.of("/api/connections", "/api/channels", "/api/queues", "/api/exchanges",
            "/api/users", "/api/vhosts", "/api/permissions", "/api/consumers");
        List<String> before = new java.util.ArrayList<>();
        for (String p : paths) {
            before.add(api(p));
        }
        Set<Long> threadsBefore = threadIds();

        StartWarmUp.Outcome outcome = StartWarmUp.run(config, 3_000, () -> 0);

        assertThat(outcome.published()).as("messages published").isGreaterThan(1000);
        assertThat(outcome.delivered()).as("messages delivered").isGreaterThan(1000);
        assertThat(outcome.millis()).isGreaterThanOrEqualTo(Math.min(StartWarmUp.MIN_MILLIS, 3_000));
        assertThat(dataDir.resolve(StartWarmUp.FOLDER)).doesNotExist();
        try (var files = Files.list(dataDir)) {
            assertThat(files.map(f -> f.getFileName().toString())).doesNotContain(StartWarmUp.FOLDER);
        }
        // Netty's and the pools' threads end shortly after the scratch broker closed
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(threadsNotIn(threadsBefore)).isEmpty());
        for (int i = 0; i < paths.size(); i++) {
            assertThat(api(paths.get(i))).as(paths.get(i)).isEqualTo(before.get(i));
        }
        assertThat(api("/api/users")).doesNotContain("warm-up");
        assertThat(node.broker().counters().get(io.warren.management.spi.Stat.PUBLISH)).isZero();

        // the node itself is untouched and serves a client as before
        ConnectionFactory f = new ConnectionFactory();
        f.setPort(node.broker().port());
        f.setAutomaticRecoveryEnabled(false);
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            String q = ch.queueDeclare().getQueue();
            ch.basicPublish("", q, null, "after".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(10)).until(() -> ch.messageCount(q) == 1);
            GetResponse r = ch.basicGet(q, true);
            assertThat(new String(r.getBody(), StandardCharsets.UTF_8)).isEqualTo("after");
        }
    }

    @Test
    void stepsAsideOnceRealClientsHavePublishedEnough() throws Exception {
        // nothing published when the warm-up starts (its first look), the threshold from its next look on
        AtomicLong looks = new AtomicLong();
        long t0 = System.nanoTime();
        StartWarmUp.Outcome outcome = StartWarmUp.run(config, 30_000,
            () -> looks.getAndIncrement() == 0 ? 0 : StartWarmUp.REAL_TRAFFIC);
        assertThat(looks.get()).isGreaterThan(1);
        assertThat(outcome.settled()).as("ended by the real traffic, before the JIT could count as settled").isFalse();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ended soon after the real traffic").isLessThan(15_000);
        assertThat(dataDir.resolve(StartWarmUp.FOLDER)).doesNotExist();
    }

    @Test
    void anInterruptEndsItAndItStillCleansUp() throws Exception {
        Thread[] runner = new Thread[1];
        StartWarmUp.Outcome[] outcome = new StartWarmUp.Outcome[1];
        runner[0] = new Thread(() -> {
            try {
                outcome[0] = StartWarmUp.run(config, 30_000, () -> 0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        runner[0].start();
        await().atMost(Duration.ofSeconds(20)).until(() -> Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("warren-warmup-reader-1")));
        runner[0].interrupt();
        runner[0].join(20_000);
        assertThat(runner[0].isAlive()).isFalse();
        assertThat(outcome[0]).isNotNull();
        assertThat(outcome[0].settled()).isFalse();
        assertThat(dataDir.resolve(StartWarmUp.FOLDER)).doesNotExist();
    }

    @Test
    void configurationDefaultsAndOverrides() {
        WarmUpConfig defaults = WarmUpConfig.load(null, new Properties());
        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.maxMillis()).isEqualTo(5_000);
        assertThat(defaults.beforeListen()).isFalse();
        Properties p = new Properties();
        p.setProperty("warren.warm-up.enabled", "false");
        p.setProperty("warren.warm-up.max-time", "2s");
        p.setProperty("warren.warm-up.before-listen", "true");
        assertThat(WarmUpConfig.load(null, p)).isEqualTo(new WarmUpConfig(false, 2_000, true));
        Properties bad = new Properties();
        bad.setProperty("warren.warm-up.max-time", "2h");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WarmUpConfig.load(null, bad))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warren.warm-up.max-time");
    }
}
