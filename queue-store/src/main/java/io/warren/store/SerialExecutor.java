package io.warren.store;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool, so that state confined to it needs no
 * locks. Thread-safe: {@link #execute} may be called from any thread.
 *
 * <p>One pool task drains up to {@code maxTasksPerTurn} tasks (batching saves a pool hand-off per task),
 * then gives the pool thread back so that other executors on the same pool get their turn. Each
 * successive task happens-after the previous one even when they run on different pool threads. A task
 * that throws is reported and the next one runs: a stalled executor would strand its queue's messages.
 */
public final class SerialExecutor implements Executor {

    public static final int DEFAULT_TASKS_PER_TURN = 64;

    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final String name;
    private final int maxTasksPerTurn;
    private final Consumer<Throwable> failureHandler;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private volatile Thread runner;

    public SerialExecutor(Executor pool, String name) {
        this(pool, name, DEFAULT_TASKS_PER_TURN, null);
    }

    /** @param failureHandler told about every throwable a task let escape; null logs them */
    public SerialExecutor(Executor pool, String name, int maxTasksPerTurn, Consumer<Throwable> failureHandler) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.name = Objects.requireNonNull(name, "name");
        if (maxTasksPerTurn < 1) {
            throw new IllegalArgumentException("maxTasksPerTurn must be positive: " + maxTasksPerTurn);
        }
        this.maxTasksPerTurn = maxTasksPerTurn;
        this.failureHandler = failureHandler;
    }

    public String name() {
        return name;
    }

    /** @throws RejectedExecutionException when the pool refuses work (it is shutting down) */
    @Override
    public void execute(Runnable task) {
        tasks.add(Objects.requireNonNull(task, "task"));
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                throw e;
            }
        }
    }

    /** True when called from a task of this executor: for assertions on confinement. */
    public boolean inExecutor() {
        return runner == Thread.currentThread();
    }

    /** Reports a failure caught inside a task, the same way as one that escaped it. */
    public void reportFailure(Throwable failure) {
        if (failureHandler != null) {
            failureHandler.accept(failure);
        } else {
            LOG.error("Task failed on executor {}", name, failure);
        }
    }

    private void drain() {
        runner = Thread.currentThread();
        try {
            for (int i = 0; i < maxTasksPerTurn; i++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                try {
                    task.run();
                } catch (Throwable t) {
                    reportFailure(t);
                }
            }
        } finally {
            runner = null;
            scheduled.set(false);
            // A task added after the poll above but before the reset found 'scheduled' still true.
            if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
                resubmit();
            }
        }
    }

    private void resubmit() {
        try {
            pool.execute(drain);
        } catch (RejectedExecutionException e) {
            scheduled.set(false);
            LOG.warn("Pool rejected executor {}; {} task(s) left unrun", name, tasks.size(), e);
        }
    }

    @Override
    public String toString() {
        return "SerialExecutor[" + name + "]";
    }
}
