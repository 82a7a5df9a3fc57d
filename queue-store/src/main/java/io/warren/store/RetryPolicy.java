package io.warren.store;

/**
 * Redelivery with exponential backoff ({@code x-retry-*} queue arguments): a {@code basic.nack}/{@code basic.reject}
 * with {@code requeue=true} makes the message wait {@code initialDelay * multiplier^(attempt-1)} ms, at most
 * {@code maxDelay}, before it is ready again; after {@code maxAttempts} such retries the next one dead-letters it
 * (reason {@code rejected}) or drops it. Immutable; any thread.
 *
 * @param maxAttempts delayed redeliveries allowed, at least 1 ({@code x-retry-max})
 * @param initialDelay ms before the first redelivery, at least 0 ({@code x-retry-initial-delay}, default 1000)
 * @param multiplier growth per attempt, at least 1 ({@code x-retry-multiplier}, default 2)
 * @param maxDelay cap on one delay in ms ({@code x-retry-max-delay}, default 3600000)
 */
public record RetryPolicy(int maxAttempts, long initialDelay, double multiplier, long maxDelay) {
    public static final long DEFAULT_INITIAL_DELAY = 1000;
    public static final double DEFAULT_MULTIPLIER = 2.0;
    public static final long DEFAULT_MAX_DELAY = 3_600_000;

    public RetryPolicy {
        if (maxAttempts < 1 || initialDelay < 0 || !(multiplier >= 1.0) || Double.isInfinite(multiplier)
                || maxDelay < 0) {
            throw new IllegalArgumentException("bad retry policy: max " + maxAttempts + ", initial delay "
                    + initialDelay + ", multiplier " + multiplier + ", max delay " + maxDelay);
        }
    }

    /** The delay in ms before redelivery number {@code attempt} (1 = the first retry). */
    public long delay(int attempt) {
        double d = initialDelay * Math.pow(multiplier, Math.max(0, attempt - 1));
        return d >= maxDelay ? maxDelay : (long) d;
    }
}
