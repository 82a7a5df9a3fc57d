package io.warren.server.mirror;

import io.warren.management.ManagementServer;
import io.warren.management.http.Response;
import io.warren.mirror.Follower;
import io.warren.mirror.InSyncTracker;
import io.warren.mirror.ReplicationLag;
import io.warren.mirror.control.ControlState;
import java.util.List;
import java.util.Map;

/**
 * A pair member's status on its management HTTP port, served whether or not it runs a broker: GET /ha/primary for
 * HAProxy (200 only on the serving primary, 503 otherwise, the body naming role and epoch), GET /api/ha (the whole
 * status), the "ha" field of this node in /api/nodes, and warren_ha_* gauges in /metrics. No login: a backup and the
 * witness hold no users, and the same facts are in /metrics, which is open by default too. Registered once, from any
 * thread; the handlers run on the management event loop.
 */
final class HaEndpoints {

    private HaEndpoints() {
    }

    static void register(ManagementServer http, HaStatus status) {
        http.route("GET", "/ha/primary", false, r -> Response.json(status.primary() ? 200 : 503, status.probe()));
        http.route("GET", "/api/ha", false, r -> Response.ok(status.document()));
        http.nodeFields(() -> Map.of("ha", status.document()));
        http.unavailable(status::unavailable);
        gauges(http, status);
    }

    private static void gauges(ManagementServer http, HaStatus status) {
        http.gauge("warren_ha_role", "This member's role in its mirrored pair: 1 for its current role, 0 for the others",
            List.of("role"), g -> {
                String role = status.role();
                for (String r : HaStatus.ROLES) {
                    g.sample(r.equals(role) ? 1 : 0, r);
                }
            });
        http.gauge("warren_ha_serving_primary", "1 while this node is the primary of the current epoch and serves "
            + "clients (GET /ha/primary answers 200), else 0", List.of(), g -> g.sample(status.primary() ? 1 : 0));
        http.gauge("warren_ha_epoch", "The pair's epoch as this member last saw it (each promotion makes a new one)",
            List.of(), g -> g.sample(Integer.toUnsignedLong(status.epoch())));
        http.gauge("warren_ha_in_sync", "1 for each data node in the current epoch's in-sync set (whose fsync every "
            + "confirm waits for), 0 for the others", List.of("node"), g -> {
                ControlState s = status.state();
                for (String n : status.dataNodes()) {
                    g.sample(s.inSync(n) ? 1 : 0, n);
                }
            });
        http.gauge("warren_ha_backup_connected", "On the primary: 1 while its backup is connected for replication",
            List.of(), g -> {
                InSyncTracker t = status.tracker();
                if (t != null) {
                    g.sample(t.backupConnected() ? 1 : 0);
                }
            });
        lagGauge(http, status, "warren_ha_replication_lag_records", "On the primary: records written here that the "
            + "backup has not yet made durable (over by at most one write batch)", ReplicationLag::records, 1);
        lagGauge(http, status, "warren_ha_replication_lag_bytes", "On the primary: bytes of log written here that "
            + "the backup has not yet made durable", ReplicationLag::bytes, 1);
        lagGauge(http, status, "warren_ha_replication_lag_seconds", "On the primary: how long ago the oldest record "
            + "the backup has not yet made durable was written here", ReplicationLag::millis, 1e-3);
        http.gauge("warren_ha_log_durable_position_bytes", "Position up to which this data node's log is fsynced "
            + "(compare the primary's with the backup's)", List.of(), g -> {
                InSyncTracker t = status.tracker();
                Follower f = status.follower();
                try {
                    if (t != null) {
                        g.sample(t.log().durablePosition());
                    } else if (f != null) {
                        g.sample(f.log().durablePosition());
                    }
                } catch (RuntimeException e) {
                    // the log closed meanwhile (a role change): no sample this time
                }
            });
    }

    private static void lagGauge(ManagementServer http, HaStatus status, String name, String help,
                                 java.util.function.ToLongFunction<ReplicationLag> value, double scale) {
        http.gauge(name, help, List.of(), g -> {
            ReplicationLag lag = status.lag();
            if (lag != null) {
                g.sample(value.applyAsLong(lag) * scale);
            }
        });
    }
}
