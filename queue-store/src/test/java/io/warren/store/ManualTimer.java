package io.warren.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A clock and a timer the test moves by hand: {@link #advance} sets the time forward and runs the tasks that became
 * due, in due order. Only {@code schedule(Runnable, ...)} is supported. Test thread only.
 */
final class ManualTimer extends AbstractExecutorService implements ScheduledExecutorService, LongSupplier {

    /** One scheduled task. */
    final class Task implements ScheduledFuture<Object> {
        final long due;
        final Runnable body;
        boolean cancelled;
        boolean done;

        Task(long due, Runnable body) {
            this.due = due;
            this.body = body;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - now, TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), o.getDelay(TimeUnit.MILLISECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            if (done) {
                return false;
            }
            cancelled = true;
            tasks.remove(this);
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }

    private final List<Task> tasks = new ArrayList<>();
    private long now;
    private int scheduledTotal;

    ManualTimer(long start) {
        this.now = start;
    }

    @Override
    public long getAsLong() {
        return now;
    }

    /** Tasks waiting to run. */
    int pending() {
        return tasks.size();
    }

    /** Tasks ever scheduled. */
    int scheduledTotal() {
        return scheduledTotal;
    }

    /** Moves the clock on by {@code ms} and runs every task due by then (including ones those schedule). */
    void advance(long ms) {
        long target = now + ms;
        while (true) {
            Task next = tasks.stream().filter(t -> t.due <= target).min(Comparator.comparingLong(t -> t.due))
                    .orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            now = Math.max(now, next.due);
            next.done = true;
            next.body.run();
        }
        now = target;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task task = new Task(now + unit.toMillis(delay), command);
        tasks.add(task);
        scheduledTotal++;
        return task;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }
}
