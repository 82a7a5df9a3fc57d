package io.warren.server.mirror;

import io.warren.mirror.Follower;
import io.warren.mirror.InSyncTracker;
import io.warren.mirror.PairNode;
import io.warren.mirror.ReplicationLag;
import io.warren.mirror.control.ControlHealth;
import io.warren.mirror.control.ControlState;
import io.warren.store.log.DurableLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What one member of a mirrored pair says about itself: its role, the epoch, the in-sync set, and (on the primary)
 * how far its backup is behind, in records, bytes and milliseconds. Read at each request from the live objects,
 * nothing cached. Any thread.
 */
final class HaStatus {

    /** Every role a member reports, in the order of Prometheus's state set. */
    static final List<String> ROLES = List.of("starting", "backup", "primary", "stepped_down", "witness");

    private final String pair;
    private final String node;
    private final List<String> dataNodes;
    private final String witness;
    /** Null for the witness. */
    private final PairNode pairNode;
    /** Whether the broker is up with a writable store and a bound AMQP listener (data nodes). */
    private final BooleanSupplier serving;
    /** The witness's view of the control state. */
    private final Supplier<ControlState> witnessState;
    /** This member's view of the control plane's Raft group. */
    private final Supplier<ControlHealth> control;

    private HaStatus(PairConfig config, PairNode pairNode, BooleanSupplier serving, Supplier<ControlState> witnessState,
                     Supplier<ControlHealth> control) {
        this.pair = config.pair();
        this.node = config.node();
        this.dataNodes = config.dataNodes();
        this.witness = config.witness();
        this.pairNode = pairNode;
        this.serving = serving;
        this.witnessState = witnessState;
        this.control = control;
    }

    static HaStatus forNode(PairConfig config, PairNode pairNode, BooleanSupplier serving, Supplier<ControlHealth> control) {
        return new HaStatus(config, pairNode, serving, null, control);
    }

    static HaStatus forWitness(PairConfig config, Supplier<ControlState> state, Supplier<ControlHealth> control) {
        return new HaStatus(config, null, () -> false, state, control);
    }

    List<String> dataNodes() {
        return dataNodes;
    }

    /** True only while this node is the primary of the current epoch with a fresh lease and a serving broker. */
    boolean primary() {
        return pairNode != null && pairNode.servingPrimary() && serving.getAsBoolean();
    }

    ControlState state() {
        return pairNode == null ? witnessState.get() : pairNode.lastState();
    }

    String role() {
        if (pairNode == null) {
            return "witness";
        }
        if (primary()) {
            return "primary";
        }
        return pairNode.role().name().toLowerCase();
    }

    int epoch() {
        return primary() ? pairNode.epoch() : state().epoch();
    }

    /** The primary's view of its backup, or null elsewhere. */
    InSyncTracker tracker() {
        return pairNode == null || !primary() ? null : pairNode.tracker();
    }

    /** The backup's replication, or null elsewhere. */
    Follower follower() {
        return pairNode == null ? null : pairNode.follower();
    }

    /** On the primary, how far the backup is behind, once one has connected in this epoch; else null. */
    ReplicationLag lag() {
        InSyncTracker t = tracker();
        return t == null ? null : t.lag();
    }

    /** The body of GET /ha/primary. */
    Map<String, Object> probe() {
        ControlState s = state();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", node);
        m.put("role", role());
        m.put("epoch", Integer.toUnsignedLong(epoch()));
        m.put("primary", s.primary());
        m.put("in_sync", List.copyOf(new TreeSet<>(s.inSync())));
        InSyncTracker t = tracker();
        if (t != null) {
            m.put("backup_acked_position", t.ackedPosition());
            m.put("backup_state", t.state().name().toLowerCase());
            m.put("replication_lag", lag(t.lag()));
        }
        return m;
    }

    /** The body of GET /api/ha, and the "ha" field of this node in /api/nodes. */
    Map<String, Object> document() {
        ControlState s = state();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pair", pair);
        m.put("node", node);
        m.put("role", role());
        m.put("serving", primary());
        m.put("epoch", Integer.toUnsignedLong(epoch()));
        m.put("primary", s.primary());
        m.put("in_sync", List.copyOf(new TreeSet<>(s.inSync())));
        m.put("data_nodes", dataNodes);
        m.put("witness", witness);
        InSyncTracker t = tracker();
        if (t != null) {
            m.put("log", log(t.log()));
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("node", t.backup());
            b.put("connected", t.backupConnected());
            b.put("state", t.state().name().toLowerCase());
            b.put("acked_position", t.ackedPosition());
            m.put("backup", b);
            m.put("replication_lag", lag(t.lag()));
        }
        Follower f = follower();
        if (f != null) {
            m.put("log", log(f.log()));
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("primary", pairNode.following());
            fm.put("streaming", f.streaming());
            fm.put("durable_position", f.durablePosition());
            fm.put("connects", f.connects());
            fm.put("refusal", f.refusal());
            m.put("following", fm);
        }
        m.put("control_plane", control(control.get()));
        return m;
    }

    private static Map<String, Object> control(ControlHealth h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", h.role());
        m.put("leader", h.leader());
        m.put("term", h.term());
        m.put("last_applied", h.lastApplied());
        if (!h.members().isEmpty()) {
            Map<String, Object> members = new LinkedHashMap<>();
            h.members().forEach((id, f) -> {
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put("last_contact_ms", f.lastContactMillis());
                fm.put("match_index", f.matchIndex());
                members.put(id, fm);
            });
            m.put("members", members);
        }
        return m;
    }

    /** Why this node's management API is unavailable (it runs no broker now). */
    String unavailable() {
        ControlState s = state();
        String where = s.primary() == null ? "no primary has been chosen yet"
            : "the primary of epoch " + Integer.toUnsignedString(s.epoch()) + " is node " + s.primary();
        if (pairNode == null) {
            return "node " + node + " is the witness of pair " + pair + ": it stores no messages; " + where;
        }
        return "node " + node + " of pair " + pair + " is not serving (role " + role() + "): " + where
            + "; GET /api/ha shows this node's replication";
    }

    private static Map<String, Object> log(DurableLog log) {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            m.put("start_position", log.startPosition());
            m.put("written_position", log.writtenPosition());
            m.put("durable_position", log.durablePosition());
        } catch (RuntimeException e) {
            return null; // closed meanwhile (a role change): there is no log to describe
        }
        return m;
    }

    private static Map<String, Object> lag(ReplicationLag lag) {
        if (lag == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("records", lag.records());
        m.put("bytes", lag.bytes());
        m.put("ms", lag.millis());
        return m;
    }
}
