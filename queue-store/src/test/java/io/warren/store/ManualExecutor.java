package io.warren.store;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/** A pool whose tasks run only when the test says so, to observe turns one by one. Test thread only. */
final class ManualExecutor implements Executor {

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    int pending() {
        return tasks.size();
    }

    /** Runs the oldest pending task; false if there was none. */
    boolean runNext() {
        Runnable task = tasks.poll();
        if (task == null) {
            return false;
        }
        task.run();
        return true;
    }

    void runAll() {
        while (runNext()) {
            // Tasks may submit more; keep going until quiet.
        }
    }
}
