package io.warren.mirror;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the primary writes its backup's replication lag to the log: a WARN when the lag crosses a bound (1 MiB or
 * 1 s) and every 10 s while it stays above, an INFO when it is back under, and an INFO every minute whatever it is,
 * so that the log shows the lag without a line per record. Confined to the in-sync tracker's thread.
 */
final class LagLog {

    private static final Logger LOG = LoggerFactory.getLogger(LagLog.class);
    static final long BOUND_BYTES = 1 << 20;
    static final long BOUND_MILLIS = 1000;
    private static final long REPEAT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long PERIOD_NANOS = TimeUnit.MINUTES.toNanos(1);

    private boolean behind;
    private long lastWarning;
    private long lastPeriodic;

    LagLog(long now) {
        this.lastPeriodic = now;
    }

    /** {@code lag} is null while no backup has connected in this epoch. */
    void check(long now, String backup, boolean connected, InSyncTracker.State state, ReplicationLag lag) {
        boolean above = lag != null && (lag.bytes() > BOUND_BYTES || lag.millis() > BOUND_MILLIS);
        if (above && (!behind || now - lastWarning >= REPEAT_NANOS)) {
            LOG.warn("Backup {} is {}behind: {} ({}, {})", backup, behind ? "still " : "", lag,
                connected ? "connected" : "not connected", state.name().toLowerCase());
            lastWarning = now;
            lastPeriodic = now;
        } else if (!above && behind) {
            LOG.info("Backup {} caught up: lag {} ({}, {})", backup, lag == null ? "unknown" : lag,
                connected ? "connected" : "not connected", state.name().toLowerCase());
            lastPeriodic = now;
        } else if (now - lastPeriodic >= PERIOD_NANOS) {
            LOG.info("Replication to backup {}: {}, {}, lag {}", backup == null ? "(none yet)" : backup,
                connected ? "connected" : "not connected", state.name().toLowerCase(), lag == null ? "unknown" : lag);
            lastPeriodic = now;
        }
        behind = above;
    }
}
