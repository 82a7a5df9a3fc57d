package io.warren.mirror;

import io.warren.store.log.DurableLog;
import io.warren.store.log.RetentionHold;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's view of its backup: whether confirms must wait for it, and when it joins or leaves the
 * in-sync set. Transitions run on its own thread ("warren-mirror-insync"), every few milliseconds;
 * acks and connection changes may come from any thread.
 *
 * <pre>
 * OUT      -- backup connected, within joinLagBytes --> JOINING: confirms now wait for it; once it has
 *             everything confirmed alone so far, the control plane commits {primary, backup}   --> IN
 * JOINING  -- disconnected or commit failed --> OUT (never committed: confirming alone again is safe)
 * IN       -- confirms waited lagTimeout on it --> control plane commits {primary} --> OUT
 *             (while that commit fails, confirms keep waiting: a cut-off primary cannot go on alone)
 * </pre>
 * While IN, a retention hold keeps every segment the backup has not acknowledged.
 */
public final class InSyncTracker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InSyncTracker.class);

    public enum State { OUT, JOINING, IN, LEAVING }

    private final MirrorSettings settings;
    private final DurableLog log;
    private final Membership membership;
    private final int epoch;
    private final ScheduledExecutorService executor;
    private volatile String backup;
    private volatile boolean connected;
    private volatile long acked = -1;
    private volatile State state;
    /** JOINING: the backup must have this much before the join is committed. */
    private long joinTarget;
    private long lastProgress = System.nanoTime();
    private long progressMark = -1;
    private volatile RetentionHold hold;
    private boolean committing;
    /** Turns the backup's acked position into a lag in records and time. */
    private final WriteHistory history;
    private final LagLog lagLog;
    private long lastLagCheck;

    /**
     * @param inSync whether the control plane's current in-sync set already holds {@code backup} (then
     *               confirms wait for it from the start)
     */
    public InSyncTracker(MirrorSettings settings, DurableLog log, Membership membership, int epoch,
                         String backup, boolean inSync) {
        this.settings = settings;
        this.log = log;
        this.membership = membership;
        this.epoch = epoch;
        this.backup = backup;
        this.state = inSync ? State.IN : State.OUT;
        long now = System.nanoTime();
        this.history = new WriteHistory(log.writtenPosition(), log.recordsWritten(), now);
        this.lagLog = new LagLog(now);
        this.lastLagCheck = now;
        if (inSync) {
            log.requireReplica(log.startPosition());
            hold = log.hold(log.startPosition());
        }
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warren-mirror-insync");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::tick, 20, 20, TimeUnit.MILLISECONDS);
    }

    public State state() {
        return state;
    }

    /** The backup's durable position as last reported, or -1. */
    public long ackedPosition() {
        return acked;
    }

    public boolean backupConnected() {
        return connected;
    }

    /** The primary's log this tracker gates. */
    public DurableLog log() {
        return log;
    }

    /** The backup's node id, once one has connected (or the one expected to). */
    public String backup() {
        return backup;
    }

    /** How far the backup is behind this primary's written log, or null while none has connected in this epoch. */
    public ReplicationLag lag() {
        long a = acked;
        return a < 0 ? null : history.lag(a, System.nanoTime());
    }

    /** The log wrote up to {@code position}. Called on the log's writer thread: only records a sample. */
    void written(long position) {
        history.add(position, log.recordsWritten(), System.nanoTime());
    }

    /** A backup connected and was told to keep its log below {@code position}. */
    void connected(String node, long position) {
        if (backup != null && !backup.equals(node) && state != State.OUT) {
            LOG.warn("Node {} connected while {} is in sync", node, backup);
        }
        backup = node;
        acked = position;
        connected = true;
    }

    /** The backup has fsynced everything before {@code position}. Any thread. */
    void acked(long position) {
        if (position > acked) {
            acked = position;
        }
        log.replicaDurable(position);
        history.passed(position);
        RetentionHold h = hold;
        if (h != null) {
            h.moveTo(position);
        }
    }

    void disconnected() {
        connected = false;
    }

    private void tick() {
        try {
            step(System.nanoTime());
        } catch (RuntimeException e) {
            LOG.error("In-sync tracking failed a step", e);
        }
    }

    private void step(long now) {
        if (now - lastLagCheck >= 1_000_000_000L) {
            lastLagCheck = now;
            lagLog.check(now, backup, connected, state, lag());
        }
        long a = acked;
        if (a != progressMark || log.confirmedPosition() >= log.durablePosition()) {
            progressMark = a;
            lastProgress = now; // the backup moved, or nothing waits on it
        }
        switch (state) {
            case OUT -> {
                if (connected && a >= 0 && log.writtenPosition() - a <= settings.joinLagBytes()) {
                    log.requireReplica(a);
                    hold = log.hold(a);
                    joinTarget = log.durablePosition(); // everything below was (or will be) confirmed alone
                    state = State.JOINING;
                    LOG.info("Backup {} is {} bytes behind: confirms now wait for it too", backup, log.writtenPosition() - a);
                }
            }
            case JOINING -> {
                if (committing) {
                    return; // its outcome decides: a committed join must not be undone here
                } else if (!connected) {
                    leaveUncommitted("disconnected before joining");
                } else if (a >= joinTarget) {
                    commit(Set.of(settings.node(), backup), State.IN);
                }
            }
            case IN -> {
                if (now - lastProgress > TimeUnit.MILLISECONDS.toNanos(settings.lagTimeoutMillis()) && !committing) {
                    LOG.warn("Backup {} left confirms waiting {} ms (acked {}, durable here {}): dropping it from the in-sync set",
                        backup, TimeUnit.NANOSECONDS.toMillis(now - lastProgress), a, log.durablePosition());
                    state = State.LEAVING;
                    commit(Set.of(settings.node()), State.OUT);
                }
            }
            case LEAVING -> {
                if (!committing) {
                    commit(Set.of(settings.node()), State.OUT);
                }
            }
        }
    }

    private void commit(Set<String> nodes, State next) {
        committing = true;
        membership.commitInSync(epoch, nodes).whenComplete((v, e) -> executor.execute(() -> {
            committing = false;
            if (e != null) {
                LOG.warn("Could not commit in-sync set {} for epoch {}: {}", nodes, Integer.toUnsignedString(epoch), e.toString());
                if (state == State.JOINING) {
                    leaveUncommitted("join not committed");
                }
                return; // LEAVING retries on the next step; confirms keep waiting meanwhile
            }
            LOG.info("In-sync set of epoch {} is now {}", Integer.toUnsignedString(epoch), nodes);
            // the new state is visible before the released confirms are: whoever sees a confirm sees OUT
            state = next;
            if (next == State.OUT) {
                log.releaseReplica();
                releaseHold();
            }
        }));
    }

    private void leaveUncommitted(String why) {
        log.releaseReplica();
        releaseHold();
        state = State.OUT;
        LOG.info("Backup {} not joining the in-sync set ({})", backup, why);
    }

    private void releaseHold() {
        if (hold != null) {
            hold.close();
            hold = null;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        releaseHold();
    }
}
