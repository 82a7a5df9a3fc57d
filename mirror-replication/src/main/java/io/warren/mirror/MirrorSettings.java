package io.warren.mirror;

import java.util.Objects;

/**
 * How a node of a mirrored pair identifies itself and times its replication connection. Immutable.
 *
 * @param pair             the pair's name: a node of another pair is refused
 * @param node             this node's id ("a", "b"): unique within the pair
 * @param heartbeatMillis  an idle side sends a frame this often
 * @param timeoutMillis    a connection silent this long is dead (several heartbeats)
 * @param reconnectMillis  first pause before reconnecting (doubles up to ten times that)
 * @param joinLagBytes     a backup this close to the primary's written end may join the in-sync set
 * @param lagTimeoutMillis an in-sync backup that leaves confirms waiting this long is dropped from it
 */
public record MirrorSettings(String pair, String node, int heartbeatMillis, int timeoutMillis, int reconnectMillis,
                             long joinLagBytes, long lagTimeoutMillis) {

    public MirrorSettings {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(node, "node");
        if (pair.isBlank() || node.isBlank()) {
            throw new IllegalArgumentException("pair and node ids must not be blank");
        }
        if (heartbeatMillis <= 0 || timeoutMillis <= heartbeatMillis || reconnectMillis <= 0) {
            throw new IllegalArgumentException("need 0 < heartbeat < timeout and reconnect > 0");
        }
    }

    public static MirrorSettings of(String pair, String node) {
        return new MirrorSettings(pair, node, 200, 2000, 100, 1 << 20, 2000);
    }
}
