package io.warren.server.mirror;

import io.warren.management.ManagementServer;
import io.warren.mirror.NodeIdentity;
import io.warren.mirror.control.ControlPlane;
import io.warren.server.Broker;
import io.warren.server.config.BrokerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pair's witness: a control plane member and nothing else (no broker, no messages), so that the two data
 * nodes have a majority to decide with. Its HTTP listener serves GET /ha/primary (always 503, role "witness"),
 * GET /api/ha and /metrics. Any thread.
 */
public final class Witness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Witness.class);

    private final ControlPlane control;
    private final ManagementServer http;

    private Witness(BrokerConfig config, PairConfig pair) throws IOException {
        pair.checkRole(true);
        PairMember.requireHttp(config, pair.node());
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);
        NodeIdentity.claim(dataDir, pair.pair(), pair.node()); // a directory of another pair or member is refused
        this.control = ControlPlane.start(pair.pair(), pair.node(), pair.peers(), dataDir.resolve("control"),
            pair.controlBind().getHostString(), pair.controlBind().getPort(), pair.controlTiming());
        this.http = new ManagementServer(Broker.managementConfig(config));
        HaEndpoints.register(http, HaStatus.forWitness(pair, control::localState, control::health));
        try {
            http.start();
        } catch (IllegalStateException e) {
            control.close();
            throw new IOException("cannot serve HTTP on " + config.http().bindAddress() + ":" + config.http().port()
                + ": " + e.getMessage(), e);
        }
        LOG.info("Witness {} of pair {} started (control plane on {}, HTTP on {})", pair.node(), pair.pair(),
            pair.controlBind(), http.port());
    }

    public static Witness start(BrokerConfig config, PairConfig pair) throws IOException {
        return new Witness(config, pair);
    }

    @Override
    public void close() throws IOException {
        http.close();
        control.close();
    }
}
