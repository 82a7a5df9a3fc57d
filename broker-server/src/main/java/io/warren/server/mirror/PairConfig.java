package io.warren.server.mirror;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.warren.mirror.MirrorSettings;
import io.warren.mirror.PairTiming;
import io.warren.mirror.control.ControlPlane;
import io.warren.mirror.control.ControlTiming;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The {@code warren.mirror} section of the configuration, checked as a whole: ids unique, this member one of
 * them, every address given. Immutable.
 */
public record PairConfig(boolean enabled, String pair, String node, List<String> dataNodes, String witness,
                         Map<String, String> controlPeers, InetSocketAddress controlBind,
                         Map<String, InetSocketAddress> replicationPeers, InetSocketAddress replicationBind,
                         long leaseMillis, long leaseMarginMillis, long electionMinMillis,
                         long electionMaxMillis, long lagTimeoutMillis) {

    /** Reads the section from the built-in defaults, {@code file} (may be null) and system properties. */
    public static PairConfig load(Path file, Properties systemProperties) {
        try {
            Config defaults = ConfigFactory.parseResources(PairConfig.class.getClassLoader(), "warren.conf",
                ConfigParseOptions.defaults().setAllowMissing(false));
            Config merged = file == null ? defaults
                : ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)).withFallback(defaults);
            Config props = ConfigFactory.parseProperties(systemProperties).withOnlyPath("warren");
            return from(props.withFallback(merged).resolve().getConfig("warren.mirror"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("invalid mirror configuration: " + e.getMessage(), e);
        }
    }

    static PairConfig from(Config c) {
        String node = c.getString("node");
        List<String> data = c.getStringList("data-nodes");
        String witness = c.getString("witness");
        if (data.size() != 2 || data.get(0).equals(data.get(1))) {
            throw new IllegalArgumentException("warren.mirror.data-nodes must name two different nodes: " + data);
        }
        if (data.contains(witness)) {
            throw new IllegalArgumentException("warren.mirror.witness '" + witness + "' is also a data node");
        }
        Map<String, String> control = new LinkedHashMap<>();
        for (String id : List.of(data.get(0), data.get(1), witness)) {
            control.put(id, required(c, "control-peers", id));
        }
        Map<String, InetSocketAddress> replication = new LinkedHashMap<>();
        for (String id : data) {
            replication.put(id, address(required(c, "replication-peers", id), "warren.mirror.replication-peers." + id));
        }
        return new PairConfig(c.getBoolean("enabled"), c.getString("pair"), node, List.copyOf(data), witness, control,
            address(c.getString("control-bind"), "warren.mirror.control-bind"), replication,
            address(c.getString("replication-bind"), "warren.mirror.replication-bind"),
            c.getDuration("lease", TimeUnit.MILLISECONDS), c.getDuration("lease-margin", TimeUnit.MILLISECONDS),
            c.getDuration("election-timeout-min", TimeUnit.MILLISECONDS),
            c.getDuration("election-timeout-max", TimeUnit.MILLISECONDS),
            c.getDuration("lag-timeout", TimeUnit.MILLISECONDS));
    }

    private static String required(Config c, String map, String id) {
        String path = map + ".\"" + id + "\"";
        if (!c.hasPath(path)) {
            throw new IllegalArgumentException("warren.mirror." + map + " lacks an address for member '" + id + "'");
        }
        return c.getString(path);
    }

    static InetSocketAddress address(String hostPort, String key) {
        int colon = hostPort.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException();
            }
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return InetSocketAddress.createUnresolved(hostPort.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be host:port, not '" + hostPort + "'");
        }
    }

    /** Resolved now (a name is looked up, honouring the JVM's hosts file). */
    static InetSocketAddress resolved(InetSocketAddress a) {
        return new InetSocketAddress(a.getHostString(), a.getPort());
    }

    /** Refuses a data node started as the witness or the witness started as a data node, with a clear reason. */
    public void checkRole(boolean asWitness) {
        if (asWitness && !node.equals(witness)) {
            throw new IllegalArgumentException("a witness cannot take the data role of node '" + node
                + "': the witness's id is '" + witness + "' (warren.mirror.witness)");
        }
        if (!asWitness && !dataNodes.contains(node)) {
            throw new IllegalArgumentException(node.equals(witness)
                ? "node '" + node + "' is the pair's witness: start it with `bin/warren witness`, which stores no messages"
                : "node '" + node + "' is not one of the pair's data nodes " + dataNodes);
        }
    }

    public MirrorSettings settings() {
        return new MirrorSettings(pair, node, 200, 2000, 100, 1 << 20, lagTimeoutMillis);
    }

    public PairTiming timing() {
        return new PairTiming(leaseMillis, leaseMarginMillis, Math.min(150, leaseMillis / 4), 10_000);
    }

    public ControlTiming controlTiming() {
        return new ControlTiming(electionMinMillis, electionMaxMillis, Math.max(leaseMillis, 3000), 1000);
    }

    public List<ControlPlane.Peer> peers() {
        List<ControlPlane.Peer> out = new ArrayList<>();
        controlPeers.forEach((id, address) -> out.add(new ControlPlane.Peer(id, address, id.equals(witness) ? 0 : 1)));
        return out;
    }
}
