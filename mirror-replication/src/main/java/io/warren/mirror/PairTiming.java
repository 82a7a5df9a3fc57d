package io.warren.mirror;

/**
 * The role loop's clocks. Immutable.
 *
 * @param leaseMillis          a primary whose renewals have not been committed for this long stops serving; a
 *                             backup that has seen no renewal for this long plus {@code marginMillis} takes over
 * @param marginMillis         extra wait of the backup, so that the old primary has stopped first
 * @param stepMillis           how often the role loop reads the control state
 * @param bootstrapDelayMillis in epoch 0, how long a node other than the preferred first primary waits
 */
public record PairTiming(long leaseMillis, long marginMillis, long stepMillis, long bootstrapDelayMillis) {

    public PairTiming {
        if (leaseMillis <= 0 || marginMillis < 0 || stepMillis <= 0 || stepMillis >= leaseMillis || bootstrapDelayMillis < 0) {
            throw new IllegalArgumentException("bad pair timing: lease " + leaseMillis + " ms, margin " + marginMillis
                + " ms, step " + stepMillis + " ms");
        }
    }

    /**
     * How often the primary sends a lease renewal: several fit in a lease, so a few lost or slow ones (an election
     * under way, a busy machine) do not end it.
     */
    public long renewMillis() {
        return Math.max(50, leaseMillis / 10);
    }

    public static PairTiming defaults() {
        return new PairTiming(2000, 500, 150, 5000);
    }
}
