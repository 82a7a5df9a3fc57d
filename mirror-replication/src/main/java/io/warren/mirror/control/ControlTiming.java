package io.warren.mirror.control;

/**
 * The control plane's clocks. Immutable.
 *
 * @param electionMinMillis Raft election timeout, lower bound: seconds, so that pauses do not cause elections
 * @param electionMaxMillis Raft election timeout, upper bound
 * @param requestMillis     a change or read not committed by then fails (no majority)
 * @param snapshotEvery     take a snapshot after this many applied commands (and purge the Raft log below it)
 */
public record ControlTiming(long electionMinMillis, long electionMaxMillis, long requestMillis, long snapshotEvery) {

    public ControlTiming {
        if (electionMinMillis <= 0 || electionMaxMillis < electionMinMillis || requestMillis <= 0 || snapshotEvery <= 0) {
            throw new IllegalArgumentException("bad control plane timing: " + electionMinMillis + ".." + electionMaxMillis
                + " ms elections, " + requestMillis + " ms requests, snapshot every " + snapshotEvery);
        }
    }

    /**
     * One attempt of a request to the member thought to lead: past this it is given up for another member (the
     * request itself goes on until {@link #requestMillis()}). Short, so that a paused or cut-off leader costs little.
     */
    public long attemptMillis() {
        return Math.max(300, electionMinMillis / 2);
    }

    public static ControlTiming defaults() {
        return new ControlTiming(2000, 4000, 5000, 1000);
    }
}
