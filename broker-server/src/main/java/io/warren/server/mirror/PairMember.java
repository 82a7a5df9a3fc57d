package io.warren.server.mirror;

import io.warren.management.ManagementServer;
import io.warren.mirror.NodeIdentity;
import io.warren.mirror.PairNode;
import io.warren.mirror.PrimaryHost;
import io.warren.mirror.control.ControlPlane;
import io.warren.server.Broker;
import io.warren.server.config.BrokerConfig;
import io.warren.store.durable.MessageStore;
import io.warren.store.log.LogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data node of a mirrored pair: its control plane member, its role loop, its management HTTP listener (up in every
 * role: GET /ha/primary, GET /api/ha and /metrics always, the broker's API while it is primary), and the broker it
 * starts while primary (the broker recovers its state from the log it followed as backup). Public methods: any
 * thread; the broker is started and stopped on the role thread.
 */
public final class PairMember implements PrimaryHost, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PairMember.class);

    private final BrokerConfig config;
    private final ControlPlane control;
    private final PairNode node;
    private final ManagementServer http;
    private volatile Broker broker;

    private PairMember(BrokerConfig config, PairConfig pair, Consumer<String> fatal) throws IOException {
        this.config = config;
        pair.checkRole(false);
        requireHttp(config, pair.node());
        Path data = config.dataDir();
        Files.createDirectories(data.resolve("log"));
        // a log of another pair or another node is refused before anything else starts
        NodeIdentity identity = NodeIdentity.claim(data.resolve("log"), pair.pair(), pair.node());
        this.control = ControlPlane.start(pair.pair(), pair.node(), pair.peers(), data.resolve("control"),
            pair.controlBind().getHostString(), pair.controlBind().getPort(), pair.controlTiming());
        Map<String, java.net.InetSocketAddress> replication = new LinkedHashMap<>();
        pair.replicationPeers().forEach((id, a) -> replication.put(id, PairConfig.resolved(a)));
        this.node = new PairNode(pair.settings(), control, data.resolve("log"), LogConfig.defaults(),
            PairConfig.resolved(pair.replicationBind()), replication, this, pair.timing(), pair.dataNodes().get(0), fatal,
            identity);
        this.http = new ManagementServer(Broker.managementConfig(config));
        HaEndpoints.register(http, HaStatus.forNode(pair, node, this::serving, control::health));
        io.warren.server.admin.AppRoutes.refuse(http, "node '" + pair.node() + "' is a member of mirrored pair '"
            + pair.pair() + "': its broker runs while it is primary and stops when it is not, as the pair decides; "
            + "stop or start the whole process instead (haproxy/pair.sh, docs/replication.md)");
        try {
            http.start();
        } catch (IllegalStateException e) {
            control.close();
            throw new IOException("cannot serve HTTP (GET /ha/primary) on " + config.http().bindAddress() + ":"
                + config.http().port() + ": " + e.getMessage(), e);
        }
        node.start();
        BrokerWarmUp.start(config);
        LOG.info("Node {} of pair {} started; GET /ha/primary on HTTP port {}", pair.node(), pair.pair(), http.port());
    }

    /** HAProxy routes by GET /ha/primary on the HTTP listener: a pair member cannot go without it. */
    static void requireHttp(BrokerConfig config, String node) {
        if (!config.http().enabled()) {
            throw new IllegalArgumentException("node '" + node + "' of a mirrored pair needs its HTTP listener "
                + "(warren.http.enabled = true): HAProxy checks GET /ha/primary on it");
        }
    }

    /** Starts data node {@code pair.node()}; {@code fatal} hears of a misconfiguration found later (exit then). */
    public static PairMember start(BrokerConfig config, PairConfig pair, Consumer<String> fatal) throws IOException {
        return new PairMember(config, pair, fatal);
    }

    public PairNode node() {
        return node;
    }

    /** The port of the management HTTP listener, which serves GET /ha/primary. */
    public int httpPort() {
        return http.port();
    }

    /** The broker while this node is primary, else null. */
    public Broker broker() {
        return broker;
    }

    private boolean serving() {
        Broker b = broker;
        return b != null && b.storeWritable() && b.port() > 0;
    }

    @Override
    public void start(Consumer<MessageStore> afterOpen, Consumer<MessageStore> beforeListening) {
        broker = Broker.start(config, afterOpen, beforeListening, http);
    }

    @Override
    public void stop(String reason) {
        Broker b = broker;
        broker = null;
        if (b != null) {
            b.closeClients(reason, 300);
        }
    }

    @Override
    public void close() throws IOException {
        node.close();
        http.close();
        control.close();
    }
}
