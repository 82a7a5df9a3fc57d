package io.warren.store.log;

/**
 * The log hit a disk error and refuses further appends. Its cause is the original I/O error. Because a
 * failed fsync may already have dropped the dirty pages (Linux marks them clean), retrying is never
 * safe: close the log and open it again, which re-reads what really is on disk. Immutable: any thread.
 */
public final class LogFailedException extends RuntimeException {

    public LogFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
