package io.warren.store;

import java.util.IdentityHashMap;
import java.util.function.Consumer;

/**
 * Whether a queue's consumers are still taking messages, which decides whether the queue may go on withholding credit
 * from its publishers ({@link ConsumerPace}). They are while the queue handed one of them a message within the last
 * {@link #LIVENESS_NANOS}, or while one whose deliveries wait on its own connection ({@link
 * QueueConsumer#heldProgress}) keeps draining them.
 *
 * <p>Such a consumer (auto-ack, or a prefetch the socket fills first, and a client that reads slowly) gets its
 * deliveries in bursts, whenever its socket's outbound buffer drains below the low water mark, a second or more apart,
 * and its connection hands bytes to the kernel in steps, whenever the kernel's send buffer has room again: with the
 * send buffer autotuned to 4 MiB, steps of about 1.5 MB up to 3 s apart for a consumer taking 700 KB a second; with
 * the socket's unsent bytes bounded (warren.amqp.unsent-limit), steps of at most that size. So the time it may go
 * without a step is measured, not fixed: twice the longest recent gap between its steps (the longest decays by a
 * quarter at each step), at least {@link #MIN_WAIT_NANOS} and at most {@link #MAX_WAIT_NANOS}. Consumers that show
 * neither deliveries nor steps (a full prefetch and no acks, a client that stopped reading) must not hold publishers:
 * the pacing then lapses, within that time, and the queue grows and pages as it would without consumers.
 *
 * <p>The queue's executor records deliveries ({@link #took}) and which consumers wait ({@link #look}); any thread may
 * ask {@link #alive}: a publisher paused by the queue asks it on a timer, since the queue has no turns while its
 * publishers are paused and its only consumer waits on its socket. The waiting consumers are guarded by this object's
 * monitor, taken only while the queue paces or is about to (once per queue turn and per paused publisher's check).
 */
final class ConsumerLiveness {

    /** Credit is withheld at most this long after the queue last handed a consumer a message. */
    static final long LIVENESS_NANOS = 250_000_000;
    /**
     * The least a consumer waiting on its connection may go without a step: a client process that does not get the CPU
     * for a moment (a busy machine, a GC pause) has not stopped, and each lapse lets a fast publisher pour tens of
     * thousands of messages into the queue.
     */
    static final long MIN_WAIT_NANOS = 1_000_000_000L;
    /** The longest a consumer waiting on its connection may go without a step before the pacing lapses. */
    static final long MAX_WAIT_NANOS = 5_000_000_000L;

    /** One consumer whose deliveries wait on its connection, and how it drains them. */
    private static final class Waiting {
        final QueueConsumer consumer;
        /** Its progress when last looked at. */
        long seen;
        /** When a step forward was last seen. */
        long lastStep;
        /** The longest recent gap between steps, decaying. */
        long gap;
        boolean waitingNow;
        int generation;

        Waiting(QueueConsumer consumer, long progress, long now) {
            this.consumer = consumer;
            this.seen = progress;
            this.lastStep = now;
        }

        void observe(long progress, long now) {
            waitingNow = progress >= 0;
            if (!waitingNow) {
                return;
            }
            if (progress > seen) {
                gap = Math.max(now - lastStep, gap - gap / 4);
                lastStep = now;
            }
            seen = progress;
        }

        boolean draining(long now) {
            long allowed = Math.min(MAX_WAIT_NANOS, Math.max(MIN_WAIT_NANOS, 2 * gap));
            return waitingNow && now - lastStep < allowed;
        }
    }

    /** {@link System#nanoTime} of the last delivery. */
    private volatile long lastTake;
    /** Monitor. */
    private final IdentityHashMap<QueueConsumer, Waiting> waiting = new IdentityHashMap<>();
    private int generation;
    private long lookTime;
    private final Consumer<QueueConsumer> note = this::note;

    /** The queue handed a consumer a message; on the executor. */
    void took(long now) {
        lastTake = now;
    }

    /** Notes which consumers wait on their connection and how far they got; on the executor, while behind. */
    synchronized void look(ConsumerRing consumers, long now) {
        generation++;
        lookTime = now;
        consumers.forEach(note);
        if (waiting.size() > consumers.size()) {
            int current = generation;
            waiting.values().removeIf(w -> w.generation != current); // consumers that left
        }
    }

    /** The queue has no consumers left; on the executor. */
    synchronized void forget() {
        waiting.clear();
    }

    private void note(QueueConsumer consumer) {
        long progress = consumer.heldProgress();
        Waiting w = waiting.get(consumer);
        if (w == null) {
            if (progress < 0) {
                return;
            }
            w = new Waiting(consumer, progress, lookTime);
            waiting.put(consumer, w);
        }
        w.generation = generation;
        w.observe(progress, lookTime);
    }

    /** True while the consumers show they take messages (see the class comment); any thread. */
    boolean alive(long now) {
        return now - lastTake < LIVENESS_NANOS || draining(now);
    }

    private synchronized boolean draining(long now) {
        boolean any = false;
        for (Waiting w : waiting.values()) {
            w.observe(w.consumer.heldProgress(), now);
            any |= w.draining(now);
        }
        return any;
    }
}
