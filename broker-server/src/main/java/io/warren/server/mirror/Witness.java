package io.warren.server.mirror;

import io.warren.mirror.RoleEndpoint;
import io.warren.mirror.control.ControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pair's witness: a control plane member and nothing else (no broker, no messages), so that the two data
 * nodes have a majority to decide with. Its /ha/primary always answers 503 with role "witness". Any thread.
 */
public final class Witness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Witness.class);

    private final ControlPlane control;
    private final RoleEndpoint endpoint;

    private Witness(PairConfig pair, Path dataDir) throws IOException {
        pair.checkRole(true);
        Files.createDirectories(dataDir);
        this.control = ControlPlane.start(pair.pair(), pair.node(), pair.peers(), dataDir.resolve("control"),
            pair.controlBind().getHostString(), pair.controlBind().getPort(), pair.controlTiming());
        try {
            this.endpoint = RoleEndpoint.forWitness(PairConfig.resolved(pair.httpBind()), pair.node(), control::localState);
        } catch (IOException e) {
            control.close();
            throw e;
        }
        LOG.info("Witness {} of pair {} started (control plane on {})", pair.node(), pair.pair(), pair.controlBind());
    }

    public static Witness start(PairConfig pair, Path dataDir) throws IOException {
        return new Witness(pair, dataDir);
    }

    @Override
    public void close() throws IOException {
        endpoint.close();
        control.close();
    }
}
