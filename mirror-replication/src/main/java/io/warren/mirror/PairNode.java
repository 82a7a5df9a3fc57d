package io.warren.mirror;

import io.warren.mirror.control.ControlCommand;
import io.warren.mirror.control.ControlPlane;
import io.warren.mirror.control.ControlState;
import io.warren.store.durable.Prereplay;
import io.warren.store.log.DurableLog;
import io.warren.store.log.LogConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data node's role in its pair, driven by the control state: backup (following the primary's log),
 * primary (serving clients, renewing its lease), or neither. Only a committed Promote makes it primary,
 * only while it is in sync, and always in a new epoch; it stops serving as soon as its lease cannot be
 * renewed (cut off from the majority) or the epoch moved on. There is no failback: a node that comes
 * back follows whoever is primary. Runs on its own thread ("warren-mirror-role"); the getters are for
 * any thread.
 */
public final class PairNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PairNode.class);

    public enum Role { STARTING, BACKUP, PRIMARY, STEPPED_DOWN }

    private final MirrorSettings settings;
    private final ControlPlane control;
    private final Path logDir;
    private final LogConfig logConfig;
    private final InetSocketAddress replicationBind;
    private final Map<String, InetSocketAddress> replicationPeers;
    private final PrimaryHost host;
    private final PairTiming timing;
    private final String preferredFirst;
    private final Consumer<String> fatal;
    private final NodeIdentity identity;
    /** Set once this node's log was found to be of another history: it neither follows nor serves from then on. */
    private volatile boolean refused;
    private final Thread thread;
    /** Renews the lease while this node is (or is becoming) primary, apart from the role thread, which may be busy starting the broker. */
    private final java.util.concurrent.ScheduledExecutorService lease;
    /** The epoch whose lease is renewed, or -1 when none is. */
    private volatile long leaseEpoch = -1;
    private final long started = System.nanoTime();
    private volatile boolean closed;
    private volatile Role role = Role.STARTING;
    private volatile int epoch;
    private volatile ControlState lastState = ControlState.INITIAL;
    private volatile Follower follower;
    private volatile String following;
    private volatile InSyncTracker tracker;
    private ReplicationServer server;
    /** When the newest committed renewal (or the promotion) was sent, by System.nanoTime. */
    private final java.util.concurrent.atomic.AtomicLong lastRenewOk = new java.util.concurrent.atomic.AtomicLong();
    private static final int MAX_RENEWALS_UNDER_WAY = 8;
    private final java.util.concurrent.atomic.AtomicInteger renewalsUnderWay = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean leading;
    /** Lease thread: since when another member leads the Raft group (System.nanoTime), or 0. */
    private long notLeadingSince;
    /** Set when a renewal was refused: the epoch moved on without this node. */
    private volatile String deposed;
    private long seenRenewals = -1;
    private int seenEpoch = -1;
    private String seenPrimary;
    private long seenChange = System.nanoTime();
    /** Role thread: when this backup may take over if no renewal comes first (System.nanoTime), or 0. */
    private long takeoverDue;
    /** Since when the entry behind the last seen change was in this node's Raft log, when earlier than the read. */
    private long seenEarlierBy;
    /**
     * Reads the followed log ahead of a promotion ({@link Prereplay}) once this backup has reason to expect one: the
     * primary's stream broke, or its renewals have stopped for half a lease. The promotion's recovery then reads only
     * what came after.
     */
    private final ExecutorService readAheadThread;
    /** Guards {@link #readAhead} and {@link #readAheadBegan}; the role and lease threads start read-aheads. */
    private final Object readAheadLock = new Object();
    /** The read-ahead under way or done, or null. */
    private Future<Prereplay> readAhead;
    private volatile boolean readAheadCancelled;
    /** When the last read-ahead began (System.nanoTime), or 0. */
    private long readAheadBegan;
    /** This member's Raft log end, sampled by the lease thread: see {@link #step}. */
    private final EntryArrivals arrivals = new EntryArrivals();

    /**
     * @param replicationPeers where each data node's replication listener is reached
     * @param preferredFirst   the data node that becomes the first primary of a new pair at once (the other waits)
     * @param fatal            told of a misconfiguration found while running (the node should exit)
     * @param identity         whose the data directory is: its log is refused if written under another history
     */
    public PairNode(MirrorSettings settings, ControlPlane control, Path logDir, LogConfig logConfig,
                    InetSocketAddress replicationBind, Map<String, InetSocketAddress> replicationPeers,
                    PrimaryHost host, PairTiming timing, String preferredFirst, Consumer<String> fatal,
                    NodeIdentity identity) {
        this.settings = settings;
        this.control = control;
        this.logDir = logDir;
        this.logConfig = logConfig;
        this.replicationBind = replicationBind;
        this.replicationPeers = Map.copyOf(replicationPeers);
        this.host = host;
        this.timing = timing;
        this.preferredFirst = preferredFirst;
        this.fatal = fatal;
        this.identity = identity;
        this.thread = new Thread(this::run, "warren-mirror-role");
        thread.setDaemon(true);
        this.lease = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warren-mirror-lease");
            t.setDaemon(true);
            return t;
        });
        this.readAheadThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "warren-mirror-readahead");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        thread.start();
        lease.scheduleWithFixedDelay(this::renew, timing.renewMillis(), timing.renewMillis(), TimeUnit.MILLISECONDS);
        lease.scheduleWithFixedDelay(this::sampleRaftLog, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** How often the lease thread samples the end of this member's Raft log. */
    private static final long SAMPLE_MILLIS = 25;

    private void sampleRaftLog() {
        long[] last = control.lastLogEntry();
        arrivals.sample(last[0], last[1], System.nanoTime()); // the time after the read: never before the arrival
        Follower f = follower;
        long now = System.nanoTime();
        if (f != null && role == Role.BACKUP && !f.streaming()) {
            // the primary's stream broke (and stayed broken a moment: not a reconnection); the role thread may be
            // waiting for an election to read the control state
            if (streamDownSince == 0) {
                streamDownSince = now;
            } else if (now - streamDownSince >= TimeUnit.MILLISECONDS.toNanos(STREAM_DOWN_MILLIS)) {
                readAhead(now, "the primary's stream stopped " + TimeUnit.NANOSECONDS.toMillis(now - streamDownSince)
                    + " ms ago");
            }
        } else {
            streamDownSince = 0;
        }
    }

    /** Lease thread: since when the followed stream is down (System.nanoTime), or 0. */
    private long streamDownSince;
    /** How long the primary's stream must stay broken before a read-ahead starts. */
    private static final long STREAM_DOWN_MILLIS = 100;

    /**
     * Lease thread, every {@link PairTiming#renewMillis()}: a renewal attempt of its own each time, short and
     * independent of the others (a few may be under way at once), so that one lost with an unreachable Raft leader
     * never holds back the next. A renewal counts from when it was sent. Also asks for the Raft leadership, so that
     * losing the backup or the witness never leaves the primary waiting for an election to renew.
     */
    private void renew() {
        long e = leaseEpoch;
        if (e < 0 || renewalsUnderWay.get() >= MAX_RENEWALS_UNDER_WAY) {
            return;
        }
        renewalsUnderWay.incrementAndGet();
        long sent = System.nanoTime();
        control.submit(new ControlCommand.Renew((int) e, settings.node()), timing.leaseMillis()).whenComplete((state, failure) -> {
            renewalsUnderWay.decrementAndGet();
            if (failure == null) {
                lastState = state;
                lastRenewOk.accumulateAndGet(sent, Math::max);
            } else if ((failure.getCause() instanceof ControlCommand.Rejected || failure instanceof ControlCommand.Rejected)
                && leaseEpoch == e) {
                deposed = "lease renewal refused: " + (failure.getCause() != null ? failure.getCause().getMessage() : failure.getMessage());
                leaseEpoch = -1;
            }
        });
        lead(System.nanoTime());
    }

    /**
     * Lease thread: once another member has led the Raft group for a whole lease while this node is primary, asks
     * for the leadership (not at once: a leadership that moves back and forth costs elections).
     */
    private void lead(long now) {
        if (control.leads()) {
            notLeadingSince = 0;
            return;
        }
        if (notLeadingSince == 0) {
            notLeadingSince = now;
        }
        if (leading || now - notLeadingSince < TimeUnit.MILLISECONDS.toNanos(timing.leaseMillis())) {
            return;
        }
        leading = true;
        notLeadingSince = now;
        control.lead(timing.leaseMillis()).whenComplete((v, failure) -> {
            leading = false;
            if (failure != null) {
                LOG.debug("Raft leadership not moved to {}: {}", settings.node(), failure.toString());
            } else {
                LOG.info("Node {} leads the control plane now", settings.node());
            }
        });
    }

    public Role role() {
        return role;
    }

    /** One log line per role change, whatever caused it. */
    private void role(Role next, String detail) {
        Role previous = role;
        role = next;
        if (previous != next) {
            LOG.info("Node {} role: {} -> {} ({})", settings.node(), previous.name().toLowerCase(),
                next.name().toLowerCase(), detail);
        }
    }

    /** The primary this node follows while backup, or null. */
    public String following() {
        return following;
    }

    /** The epoch this node is primary of, or the last epoch it saw. */
    public int epoch() {
        return epoch;
    }

    /** The control state as last read (may be stale). */
    public ControlState lastState() {
        return lastState;
    }

    /** True only while this node is the primary of the current epoch and its lease is fresh. */
    public boolean servingPrimary() {
        return role == Role.PRIMARY && System.nanoTime() - lastRenewOk.get() < TimeUnit.MILLISECONDS.toNanos(timing.leaseMillis());
    }

    /** The in-sync tracker while primary (for status), or null. */
    public InSyncTracker tracker() {
        return tracker;
    }

    /** The follower while backup (for status), or null. */
    public Follower follower() {
        return follower;
    }

    private void run() {
        while (!closed) {
            try {
                step(System.nanoTime());
            } catch (RuntimeException e) {
                LOG.error("Role step failed", e);
            }
            try {
                // the next step just after a takeover falls due rather than up to a whole step later (once it is
                // past, as when a promotion was refused, the usual pace)
                long untilTakeover = takeoverDue == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(takeoverDue - System.nanoTime()) + 1;
                // likewise a primary steps down just after its lease ends unless a renewal comes first, not up to a
                // step later: the backup's wait (lease + margin) counts on it having stopped by then
                long untilLeaseEnd = role != Role.PRIMARY ? 0 : TimeUnit.NANOSECONDS.toMillis(
                    lastRenewOk.get() + TimeUnit.MILLISECONDS.toNanos(timing.leaseMillis()) - System.nanoTime()) + 1;
                long due = untilTakeover > 0 ? untilTakeover : timing.stepMillis();
                if (untilLeaseEnd > 0) {
                    due = Math.min(due, untilLeaseEnd);
                }
                Thread.sleep(Math.min(timing.stepMillis(), due));
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private ControlPlane.Agreed read() {
        try {
            ControlPlane.Agreed s = control.readAgreed().get(timing.leaseMillis(), TimeUnit.MILLISECONDS);
            lastState = s.state();
            return s;
        } catch (Exception e) {
            return null;
        }
    }

    private void step(long now) {
        takeoverDue = 0;
        if (role == Role.PRIMARY) {
            stepPrimary(now);
            return;
        }
        ControlPlane.Agreed agreed = read();
        if (agreed == null) {
            return; // no majority: a backup keeps following whatever it follows
        }
        ControlState s = agreed.state();
        if (!historyFits(s)) {
            return;
        }
        // the renewals seen are counted from when the read returned, never from before it was sent: a renewal it saw
        // may have been sent after that
        now = System.nanoTime();
        epoch = s.epoch();
        if (s.primary() == null) {
            if (identity.history() != null) {
                // a log written under some history, in a pair that has none yet (started afresh): it must not found one
                refused = true;
                fatal.accept("the log in " + logDir + " was written under history " + identity.history() + " of pair '"
                    + settings.pair() + "', but the pair has no history yet (it was started afresh): it belongs to another "
                    + "history. Move the data directory away for this node to join as a new, empty one");
                return;
            }
            boolean mine = settings.node().equals(preferredFirst)
                || now - started > TimeUnit.MILLISECONDS.toNanos(timing.bootstrapDelayMillis());
            if (mine) {
                promote(s);
            }
            return;
        }
        if (s.primary().equals(settings.node())) {
            // This node was primary of the current epoch and restarted (or stepped down): never resume an old
            // epoch's lease; if it is in sync it takes a new epoch, else it waits.
            if (s.inSync(settings.node())) {
                promote(s);
            }
            return;
        }
        follow(s.primary());
        if (s.renewals() != seenRenewals || s.epoch() != seenEpoch || !s.primary().equals(seenPrimary)) {
            seenRenewals = s.renewals();
            seenEpoch = s.epoch();
            seenPrimary = s.primary();
            // The renewal was sent before its Raft entry reached this node's log, and that may have been long before
            // this read: when the primary led the Raft group and died, its last renewals are committed (and read)
            // only after the next election. Counting from when this node's log held the entry, where a sample shows
            // it, keeps the wait safe without adding the election to it.
            seenChange = arrivals.heldSince(agreed.term(), agreed.index(), now);
            seenEarlierBy = now - seenChange;
        }
        long silent = now - seenChange;
        long wait = TimeUnit.MILLISECONDS.toNanos(timing.leaseMillis() + timing.marginMillis());
        if (silent > TimeUnit.MILLISECONDS.toNanos(timing.leaseMillis() / 2)) {
            readAhead(now, "no renewal for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms");
        } else if (follower != null && follower.streaming()) {
            dropReadAhead();
        }
        takeoverDue = s.inSync(settings.node()) ? seenChange + wait : 0;
        if (s.inSync(settings.node()) && silent > wait) {
            LOG.warn("Primary {} of epoch {} has not renewed its lease for {} ms: taking over (its last renewal was in this "
                + "node's Raft log {} ms before this node read it)", s.primary(), Integer.toUnsignedString(s.epoch()),
                TimeUnit.NANOSECONDS.toMillis(silent), TimeUnit.NANOSECONDS.toMillis(seenEarlierBy));
            promote(s);
        }
    }

    /**
     * Whether this node's log was written under the pair's history (a node that has none yet joins it now). A log of
     * another history (the pair was started afresh, or the directory came from elsewhere) is never followed or served:
     * its positions would match the primary's while its records differ.
     */
    private boolean historyFits(ControlState s) {
        if (refused) {
            return false;
        }
        String agreed = s.history();
        String mine = identity.history();
        if (agreed == null || agreed.equals(mine)) {
            return true;
        }
        if (mine == null) {
            try {
                identity.adopt(agreed);
                return true;
            } catch (IOException e) {
                LOG.error("Cannot note the pair's history in {}: {}", logDir.getParent(), e.toString());
                return false;
            }
        }
        refused = true;
        stopFollowing();
        fatal.accept("the log in " + logDir + " was written under another history of pair '" + settings.pair() + "' ("
            + mine + "; the pair's is " + agreed + "): the pair was started afresh, or the data directory came from "
            + "elsewhere. Move the data directory away for this node to join as a new, empty one");
        return false;
    }

    private void follow(String primary) {
        if (follower != null && primary.equals(following)) {
            String why = follower.refusal();
            if (why != null && (why.contains("another pair") || why.contains("belongs to pair") || why.contains("one id")
                || why.contains("another history"))) {
                fatal.accept(why);
            }
            return;
        }
        stopFollowing();
        InetSocketAddress address = replicationPeers.get(primary);
        if (address == null) {
            LOG.error("No replication address known for node {}", primary);
            return;
        }
        try {
            follower = new Follower(settings, logDir, logConfig, () -> address);
            following = primary;
            LOG.info("Backup of primary {} (replication at {})", primary, address);
            role(Role.BACKUP, "following " + primary);
        } catch (IOException e) {
            LOG.error("Cannot open the log in {} to follow {}: {}", logDir, primary, e.toString());
        }
    }

    private void stopFollowing() {
        Follower f;
        synchronized (readAheadLock) { // no read-ahead starts on a follower being closed
            f = follower;
            follower = null;
            following = null;
        }
        dropReadAhead();
        if (f != null) {
            try {
                f.close();
            } catch (IOException e) {
                LOG.warn("Closing the follower failed: {}", e.toString());
            }
        }
    }

    /**
     * Starts reading the followed log ahead of a promotion (role or lease thread), if this node is in sync (only then
     * can it be promoted) and no read-ahead is under way, done, or began within the last lease.
     */
    private void readAhead(long now, String why) {
        synchronized (readAheadLock) {
            Follower f = follower;
            if (f == null || !lastState.inSync(settings.node()) || readAhead != null
                || (readAheadBegan != 0 && now - readAheadBegan < TimeUnit.MILLISECONDS.toNanos(timing.leaseMillis()))) {
                return;
            }
            DurableLog log = f.log();
            long limit = log.durablePosition();
            if (limit <= log.startPosition()) {
                return;
            }
            readAheadBegan = now;
            readAheadCancelled = false;
            LOG.info("Reading the log ahead of a possible promotion ({}), up to position {}", why, limit);
            readAhead = readAheadThread.submit(() -> {
                try {
                    Prereplay p = Prereplay.read(log, limit,
                        () -> readAheadCancelled);
                    if (p != null) {
                        LOG.info("Read {} records of the log ahead in {} ms", p.records(), p.millis());
                    }
                    return p;
                } catch (java.io.IOException | RuntimeException e) {
                    LOG.info("Reading the log ahead stopped: {}", e.toString());
                    return null;
                }
            });
        }
    }

    private Future<Prereplay> takeReadAhead() {
        synchronized (readAheadLock) {
            Future<Prereplay> f = readAhead;
            readAhead = null;
            return f;
        }
    }

    /** Cancels the read-ahead and waits for it to end (before the log it reads is closed). */
    private void dropReadAhead() {
        Future<Prereplay> f = takeReadAhead();
        if (f == null) {
            return;
        }
        readAheadCancelled = true;
        Prereplay p = awaitReadAhead(f);
        if (p != null) {
            p.close();
        }
    }

    private static Prereplay awaitReadAhead(
            Future<Prereplay> f) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    private void promote(ControlState s) {
        ControlState next;
        long sent = System.nanoTime(); // the new lease counts from here: the backup's wait starts later, when it sees it
        try {
            next = control.submit(new ControlCommand.Promote(settings.node(), s.epoch()))
                .get(timing.leaseMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.info("Not promoted in epoch {}: {}", Integer.toUnsignedString(s.epoch()), e.getCause() != null ? e.getCause().getMessage() : e.toString());
            return;
        }
        lastState = next;
        LOG.info("Promotion to epoch {} committed in {} ms", Integer.toUnsignedString(next.epoch()),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
        if (!historyFits(next)) {
            return;
        }
        becomePrimary(next.epoch(), sent);
    }

    private void becomePrimary(int newEpoch, long promotionSent) {
        long t0 = System.nanoTime();
        // what was read of the followed log ahead of this promotion stands for its first records if that log was
        // neither replaced nor cut since
        Future<Prereplay> pending = takeReadAhead();
        Prereplay ahead = pending == null ? null : awaitReadAhead(pending);
        DurableLog followed = follower == null ? null : follower.log();
        stopFollowing();
        if (ahead != null && (ahead.log() != followed || followed.truncations() != ahead.truncations())) {
            LOG.info("Not using the {} records read ahead: the log was {} since", ahead.records(),
                ahead.log() != followed ? "replaced" : "cut");
            ahead.close();
            ahead = null;
        }
        Prereplay readFirst = ahead;
        long[] marks = new long[3]; // follower closed, store opened, state recovered (System.nanoTime)
        marks[0] = System.nanoTime();
        String other = replicationPeers.keySet().stream().filter(n -> !n.equals(settings.node())).findFirst().orElse(null);
        lastRenewOk.set(promotionSent);
        deposed = null;
        leaseEpoch = Integer.toUnsignedLong(newEpoch);
        try {
            // The epoch begins before the broker's recovery can append anything: a record of the old epoch written
            // by the new primary would make its log and the old primary's disagree below the new epoch's start.
            host.start(store -> {
                marks[1] = System.nanoTime();
                store.beginEpoch(newEpoch);
                if (readFirst != null) {
                    store.adopt(readFirst);
                }
            }, store -> {
                marks[2] = System.nanoTime();
                tracker = new InSyncTracker(settings, store.log(), control, newEpoch, other, false);
                try {
                    server = new ReplicationServer(settings, store.log(), newEpoch, tracker, replicationBind);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot listen for the backup on " + replicationBind, e);
                }
            });
        } catch (RuntimeException e) {
            LOG.error("Could not start serving as primary of epoch {}: {}", Integer.toUnsignedString(newEpoch), e.toString());
            closeReplication();
            leaseEpoch = -1;
            role(Role.STEPPED_DOWN, "could not start serving in epoch " + Integer.toUnsignedString(newEpoch));
            return;
        }
        epoch = newEpoch;
        role(Role.PRIMARY, "epoch " + Integer.toUnsignedString(newEpoch));
        long end = System.nanoTime();
        LOG.info("Primary of epoch {}: serving clients {} ms after the promotion was committed (state recovered from the "
            + "log; follower closed in {} ms, store opened in {} ms, state recovered in {} ms, listening in {} ms)",
            Integer.toUnsignedString(newEpoch), ms(end - t0), ms(marks[0] - t0), ms(marks[1] - marks[0]),
            ms(marks[2] - marks[1]), ms(end - marks[2]));
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private void stepPrimary(long now) {
        if (deposed != null) {
            stepDown(deposed);
            return;
        }
        long renewed = lastRenewOk.get();
        if (now - renewed > TimeUnit.MILLISECONDS.toNanos(timing.leaseMillis())) {
            stepDown("lost the majority: lease not renewed for " + TimeUnit.NANOSECONDS.toMillis(now - renewed) + " ms");
            return;
        }
    }

    private void stepDown(String why) {
        LOG.warn("Stepping down as primary of epoch {}: {}", Integer.toUnsignedString(epoch), why);
        role(Role.STEPPED_DOWN, "epoch " + Integer.toUnsignedString(epoch));
        leaseEpoch = -1;
        closeReplication();
        try {
            host.stop("CONNECTION_FORCED - this node is no longer the primary (" + why + ")");
        } catch (RuntimeException e) {
            LOG.error("Stopping the broker failed", e);
        }
    }

    private void closeReplication() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (tracker != null) {
            tracker.close();
            tracker = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        lease.shutdownNow();
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (role == Role.PRIMARY) {
            closeReplication();
            host.stop("CONNECTION_FORCED - broker shutting down");
        }
        stopFollowing();
        readAheadThread.shutdownNow();
    }
}
