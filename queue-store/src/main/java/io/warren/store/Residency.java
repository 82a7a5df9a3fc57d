package io.warren.store;

/**
 * How many ready messages, and how many bytes of their bodies, a queue keeps in memory before it pages the rest of
 * its backlog out (to the durable log, or to the transient spill). A bigger window costs memory per backlogged
 * queue; a smaller one sends a consumer that lags only a little through the disk. Immutable; any thread.
 */
public record Residency(int readyMessages, long readyBytes, double spillWatermark) {
    /** Small enough for tests to reach and for millions of queued messages to cost only their positions. */
    public static final Residency DEFAULT = new Residency(1024, 4L << 20);

    /** Transient overflow is spilled as soon as a queue is past its window. */
    public Residency(int readyMessages, long readyBytes) {
        this(readyMessages, readyBytes, 0);
    }

    /**
     * @param spillWatermark fraction of the memory high watermark above which backlogged queues spill transient
     *     messages to disk; below it they keep them in memory, since writing and re-reading them costs a lagging
     *     consumer far more throughput than it saves. 0 spills whenever a queue is past its window.
     */
    public Residency {
        if (spillWatermark < 0 || spillWatermark > 1) {
            throw new IllegalArgumentException("spill watermark must be 0..1: " + spillWatermark);
        }
        if (readyMessages < 1 || readyBytes < 1) {
            throw new IllegalArgumentException("residency limits must be positive: " + readyMessages + ", "
                    + readyBytes);
        }
    }
}
