package io.warren.store.log;

/**
 * Told once whether an appended record reached the disk. Called on the log's writer thread, in position
 * order, and while it runs the next fsync waits: hand off (e.g. to an event loop) and return.
 */
public interface SyncCallback {

    /** The record and everything before it are fsynced. */
    void synced();

    /**
     * The record will never be reported durable: the log failed ({@link LogFailedException}), was closed
     * after failing, or the record was cut off by {@link DurableLog#truncate} ({@link LogTruncatedException}).
     */
    void failed(Throwable cause);
}
