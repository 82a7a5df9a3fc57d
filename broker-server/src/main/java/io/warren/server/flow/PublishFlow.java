package io.warren.server.flow;

import io.netty.util.concurrent.EventExecutor;
import io.warren.store.InboxCredit;
import io.warren.store.log.DurableLog;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Credit flow from one connection's publishers to what they feed, as RabbitMQ's credit flow: when, after a publish,
 * a target queue's inbox ({@link InboxCredit}) or the log's unwritten tail is over its bound, the connection stops
 * reading from its socket until they are back under half of it. A publisher therefore never runs ahead of its queues
 * or of the disk by more than a bound, whatever its speed; TCP carries the back-pressure to the client, as with
 * RabbitMQ, and the connection shows the state {@code flow} meanwhile. Queues wake the connection when they catch
 * up; the log, whose writer thread must not call out, is checked on a short timer while it is the cause.
 *
 * <p>Confined to the connection's event loop.
 */
public final class PublishFlow {

    /** Appended but not yet written to the log's file, in bytes, above which publishers of persistent messages pause. */
    static final long LOG_HIGH = 64L << 20;
    static final long LOG_LOW = LOG_HIGH / 2;
    private static final long LOG_CHECK_MICROS = 2_000;
    /**
     * How often a connection paused by a queue that paces it for its consumers checks whether that pace has lapsed:
     * a queue whose consumers stopped taking no longer gives credit back by itself (see {@code InboxCredit#paced}).
     */
    private static final long PACE_CHECK_MILLIS = 50;

    private final EventExecutor loop;
    private final Runnable readingChanged;
    private final BooleanSupplier consumes;
    private final Set<Object> waitingFor = Collections.newSetFromMap(new IdentityHashMap<>());
    private long pauses;
    private boolean paceCheckArmed;

    /**
     * @param readingChanged told, on the loop, when {@link #paused()} changes
     * @param consumes whether the connection has consumers: such a connection is not paced for a queue's consumers
     *     (only held back by a full inbox), since its own acks would stop being read with its publishes, and its own
     *     consumers, out of prefetch, would then stall until the pace lapses
     */
    public PublishFlow(EventExecutor loop, Runnable readingChanged, BooleanSupplier consumes) {
        this.loop = loop;
        this.readingChanged = readingChanged;
        this.consumes = consumes;
    }

    /** True while reads are held back for a queue or the log. */
    public boolean paused() {
        return !waitingFor.isEmpty();
    }

    /** How many times this connection was paused, for the log and tests. */
    public long pauses() {
        return pauses;
    }

    /** A publish was handed to a queue with this inbox. */
    public void fed(InboxCredit inbox) {
        if (inbox.over() && (inbox.full() || !consumes.getAsBoolean()) && waitingFor.add(inbox)) {
            pausedOne();
            inbox.whenBelow(() -> loop.execute(() -> resume(inbox)));
            if (inbox.paced()) {
                armPaceCheck();
            }
        }
    }

    private void armPaceCheck() {
        if (!paceCheckArmed) {
            paceCheckArmed = true;
            loop.schedule(this::checkPaces, PACE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void checkPaces() {
        paceCheckArmed = false;
        boolean stillPaced = false;
        for (Object cause : waitingFor.toArray()) {
            if (cause instanceof InboxCredit inbox) {
                if (!inbox.over()) {
                    resume(inbox);
                } else {
                    stillPaced |= inbox.paced();
                }
            }
        }
        if (stillPaced) {
            armPaceCheck();
        }
    }

    /** A publish was appended to this log. */
    public void fedLog(DurableLog log) {
        if (log.endPosition() - log.writtenPosition() > LOG_HIGH && waitingFor.add(log)) {
            pausedOne();
            loop.schedule(() -> checkLog(log), LOG_CHECK_MICROS, TimeUnit.MICROSECONDS);
        }
    }

    private void checkLog(DurableLog log) {
        if (log.endPosition() - log.writtenPosition() <= LOG_LOW || log.failure() != null) {
            resume(log);
        } else {
            loop.schedule(() -> checkLog(log), LOG_CHECK_MICROS, TimeUnit.MICROSECONDS);
        }
    }

    private void pausedOne() {
        pauses++;
        if (waitingFor.size() == 1) {
            readingChanged.run();
        }
    }

    private void resume(Object cause) {
        if (waitingFor.remove(cause) && waitingFor.isEmpty()) {
            readingChanged.run();
        }
    }
}
