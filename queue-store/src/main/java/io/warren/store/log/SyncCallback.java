package io.warren.store.log;

/**
 * Told once whether an appended record reached the disk. Called on the log's writer thread or, while a replica must
 * confirm too (a mirrored pair's primary), on the thread that reports the replica's durable position; one callback at
 * a time, in position order, and while it runs the next fsync or the next ack waits: hand off (e.g. to an event loop)
 * and return.
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
