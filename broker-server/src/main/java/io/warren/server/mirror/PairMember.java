package io.warren.server.mirror;

import io.warren.mirror.PairNode;
import io.warren.mirror.PrimaryHost;
import io.warren.mirror.RoleEndpoint;
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
 * A data node of a mirrored pair: its control plane member, its role loop, its /ha/primary endpoint, and the
 * broker it starts while primary (the broker recovers its state from the log it followed as backup). Public
 * methods: any thread; the broker is started and stopped on the role thread.
 */
public final class PairMember implements PrimaryHost, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PairMember.class);

    private final BrokerConfig config;
    private final ControlPlane control;
    private final PairNode node;
    private final RoleEndpoint endpoint;
    private volatile Broker broker;

    private PairMember(BrokerConfig config, PairConfig pair, Consumer<String> fatal) throws IOException {
        this.config = config;
        pair.checkRole(false);
        Path data = config.dataDir();
        Files.createDirectories(data.resolve("log"));
        this.control = ControlPlane.start(pair.pair(), pair.node(), pair.peers(), data.resolve("control"),
            pair.controlBind().getHostString(), pair.controlBind().getPort(), pair.controlTiming());
        Map<String, java.net.InetSocketAddress> replication = new LinkedHashMap<>();
        pair.replicationPeers().forEach((id, a) -> replication.put(id, PairConfig.resolved(a)));
        this.node = new PairNode(pair.settings(), control, data.resolve("log"), LogConfig.defaults(),
            PairConfig.resolved(pair.replicationBind()), replication, this, pair.timing(), pair.dataNodes().get(0), fatal);
        try {
            this.endpoint = RoleEndpoint.forNode(PairConfig.resolved(pair.httpBind()), pair.node(), node, this::serving);
        } catch (IOException e) {
            control.close();
            throw new IOException("cannot serve /ha/primary on " + pair.httpBind() + ": " + e.getMessage(), e);
        }
        node.start();
        LOG.info("Node {} of pair {} started; /ha/primary on {}", pair.node(), pair.pair(), pair.httpBind());
    }

    /** Starts data node {@code pair.node()}; {@code fatal} hears of a misconfiguration found later (exit then). */
    public static PairMember start(BrokerConfig config, PairConfig pair, Consumer<String> fatal) throws IOException {
        return new PairMember(config, pair, fatal);
    }

    public PairNode node() {
        return node;
    }

    public int httpPort() {
        return endpoint.port();
    }

    /** The broker while this node is primary, else null. */
    public Broker broker() {
        return broker;
    }

    private boolean serving() {
        Broker b = broker;
        return b != null && b.storeWritable();
    }

    @Override
    public void start(Consumer<MessageStore> afterOpen, Consumer<MessageStore> beforeListening) {
        broker = Broker.start(config, afterOpen, beforeListening);
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
        endpoint.close();
        node.close();
        control.close();
    }
}
