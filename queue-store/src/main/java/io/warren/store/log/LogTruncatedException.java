package io.warren.store.log;

/** A record was cut off by {@link DurableLog#truncate} before it was reported durable. Immutable: any thread. */
public final class LogTruncatedException extends RuntimeException {

    public LogTruncatedException(long position) {
        super("log truncated to position " + position + " before the record was durable");
    }
}
