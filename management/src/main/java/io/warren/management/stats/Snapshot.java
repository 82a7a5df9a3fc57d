package io.warren.management.stats;

/**
 * Node-wide figures at one sampler tick: the message counters (indexed by Stat ordinal), queued messages and the
 * churn counters. Immutable.
 */
public record Snapshot(long timestampMillis, long[] stats, long messages, long ready, long unacked,
    long[] churn) {
}
