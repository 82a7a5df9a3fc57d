package io.warren.store;

/**
 * How many ready messages, and how many bytes of their bodies, a queue keeps in memory before it pages the rest of
 * its backlog out (to the durable log, or to the transient spill). A bigger window costs memory per backlogged
 * queue; a smaller one sends a consumer that lags only a little through the disk. Immutable; any thread.
 */
public record Residency(int readyMessages, long readyBytes) {
    /** Small enough for tests to reach and for millions of queued messages to cost only their positions. */
    public static final Residency DEFAULT = new Residency(1024, 4L << 20);

    public Residency {
        if (readyMessages < 1 || readyBytes < 1) {
            throw new IllegalArgumentException("residency limits must be positive: " + readyMessages + ", "
                    + readyBytes);
        }
    }
}
