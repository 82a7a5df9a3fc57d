package io.warren.store.log;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-off between appenders and the writer thread: it hands out positions, queues what the writer
 * must do, and keeps the callbacks waiting for durability. Thread-safe; one lock guards everything here,
 * held only for a few field updates (never during I/O or a callback).
 *
 * <p>Group commit comes from the swap in {@link #takeBatch}: whatever was appended while the writer was
 * busy with the previous write and fsync becomes the next batch, written and fsynced once.
 */
final class AppendQueue {

    private static final Logger LOG = LoggerFactory.getLogger(AppendQueue.class);
    private static final long NOT_TRUNCATING = Long.MAX_VALUE;

    private record Waiter(long position, long seq, SyncCallback callback) implements Comparable<Waiter> {
        @Override
        public int compareTo(Waiter o) {
            int c = Long.compare(position, o.position);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final long maxSegmentBytes;
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>();
    /** Writer thread only: the waiters one {@link #durable} call completes. */
    private final List<Waiter> ready = new ArrayList<>();
    private List<WriteItem> pending = new ArrayList<>();
    private long waiterSeq;
    private long activeBase;
    private long activeSize;
    /** Waiters for records a pending truncation will cut: kept from being called back as synced meanwhile. */
    private final List<Waiter> cut = new ArrayList<>();
    private boolean writerIdle;
    /** Where a pending truncation cuts, or NOT_TRUNCATING. */
    private long truncateAt = NOT_TRUNCATING;
    private boolean closed;
    private boolean writerDone;
    private volatile long nextPosition;
    private volatile long writtenPosition;
    private volatile long durablePosition;
    private volatile LogFailedException failure;

    AppendQueue(long maxSegmentBytes, long activeBase, long end) {
        this.maxSegmentBytes = maxSegmentBytes;
        this.activeBase = activeBase;
        this.activeSize = end - activeBase;
        this.nextPosition = end;
        this.writtenPosition = end;
        this.durablePosition = end;
    }

    long endPosition() {
        return nextPosition;
    }

    long writtenPosition() {
        return writtenPosition;
    }

    long durablePosition() {
        return durablePosition;
    }

    LogFailedException failure() {
        return failure;
    }

    /** Places the record after everything appended before it; the writer will write it there. */
    long append(PendingRecord record) {
        lock.lock();
        try {
            checkOpen();
            if (truncateAt != NOT_TRUNCATING) {
                throw new IllegalStateException("log is being truncated: stop appending first");
            }
            int size = record.size();
            // A record never straddles segments; one larger than a segment gets a segment to itself.
            if (activeSize > 0 && activeSize + size > maxSegmentBytes) {
                activeBase = nextPosition;
                activeSize = 0;
            }
            record.position = nextPosition;
            record.segmentBase = activeBase;
            nextPosition += size;
            activeSize += size;
            enqueue(record);
            return record.position;
        } finally {
            lock.unlock();
        }
    }

    void submit(WriteItem command) {
        lock.lock();
        try {
            checkOpen();
            if (command instanceof TruncateCommand t) {
                if (truncateAt != NOT_TRUNCATING) {
                    throw new IllegalStateException("a truncation is already in progress");
                }
                if (t.position() < 0 || t.position() > nextPosition) {
                    throw new IllegalArgumentException("cannot truncate the log at " + t.position()
                        + ": it ends at " + nextPosition);
                }
                truncateAt = t.position();
                // The writer still writes and fsyncs these records before cutting: they must not hear "synced".
                waiters.removeIf(w -> w.position >= truncateAt && cut.add(w));
            }
            enqueue(command);
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IllegalStateException("log is closed");
        }
    }

    private void enqueue(WriteItem item) {
        pending.add(item);
        wakeWriter();
    }

    private void wakeWriter() {
        if (writerIdle) {
            writerIdle = false;
            work.signal();
        }
    }

    /** Calls back once the record at {@code position} is durable; see {@link SyncCallback} for the thread. */
    void awaitDurable(long position, SyncCallback callback) {
        boolean now;
        lock.lock();
        try {
            if (position < 0 || position >= nextPosition) {
                throw new IllegalArgumentException("no record at position " + position + " (log ends at " + nextPosition + ")");
            }
            now = failure != null || writerDone;
            if (!now && position >= truncateAt) {
                cut.add(new Waiter(position, waiterSeq++, callback));
            } else if (!now) {
                waiters.add(new Waiter(position, waiterSeq++, callback));
                if (position < durablePosition) {
                    wakeWriter(); // already durable: the writer calls back, keeping callbacks in order
                }
            }
        } finally {
            lock.unlock();
        }
        if (now) {
            complete(new Waiter(position, 0, callback), durablePosition, failure);
        }
    }

    /**
     * Writer thread: waits for work, then takes all of it, leaving {@code empty} to collect the next
     * batch. Returns null once the log is closed and nothing is left to do.
     */
    List<WriteItem> takeBatch(List<WriteItem> empty) {
        lock.lock();
        try {
            while (pending.isEmpty() && !readyWaiter() && !closed) {
                writerIdle = true;
                work.awaitUninterruptibly();
            }
            writerIdle = false;
            if (pending.isEmpty() && closed && !readyWaiter()) {
                return null;
            }
            List<WriteItem> batch = pending;
            pending = empty;
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private boolean readyWaiter() {
        return !waiters.isEmpty() && waiters.peek().position < durablePosition;
    }

    /** Writer thread: bytes up to {@code position} are in the files (not necessarily on disk). */
    void written(long position) {
        writtenPosition = position;
    }

    /** Writer thread: everything before {@code position} is fsynced; calls back in position order. */
    void durable(long position) {
        durablePosition = position;
        lock.lock();
        try {
            while (!waiters.isEmpty() && waiters.peek().position < position) {
                ready.add(waiters.poll());
            }
        } finally {
            lock.unlock();
        }
        for (Waiter w : ready) {
            complete(w, position, null);
        }
        ready.clear();
    }

    /** Writer thread: the log now ends at {@code position}, in the segment based at {@code base}. */
    void truncated(long position, long base) {
        List<Waiter> failed;
        lock.lock();
        try {
            nextPosition = position;
            writtenPosition = position;
            durablePosition = Math.min(durablePosition, position);
            activeBase = base;
            activeSize = position - base;
            truncateAt = NOT_TRUNCATING;
            failed = new ArrayList<>(cut);
            cut.clear();
            waiters.removeIf(w -> w.position >= position && failed.add(w));
        } finally {
            lock.unlock();
        }
        failed.sort(null);
        LogTruncatedException cause = new LogTruncatedException(position);
        for (Waiter w : failed) {
            complete(w, position, cause);
        }
    }

    /** Writer thread: a truncation was refused, so appends resume and its waiters wait as before. */
    void truncationAborted() {
        lock.lock();
        try {
            truncateAt = NOT_TRUNCATING;
            waiters.addAll(cut);
            cut.clear();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writer thread: the log failed. Waiters below the durable position still hear "synced" (they are on
     * disk); every other waiter and queued item fails. Returns the queued items for the writer to drop.
     */
    List<WriteItem> fail(Throwable cause) {
        List<Waiter> all;
        List<WriteItem> dropped;
        lock.lock();
        try {
            if (failure == null) {
                failure = cause instanceof LogFailedException f ? f : new LogFailedException("log failed: " + cause, cause);
            }
            all = new ArrayList<>(waiters);
            all.addAll(cut);
            waiters.clear();
            cut.clear();
            dropped = pending;
            pending = new ArrayList<>();
        } finally {
            lock.unlock();
        }
        all.sort(null);
        for (Waiter w : all) {
            complete(w, durablePosition, failure);
        }
        return dropped;
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            writerIdle = false;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Writer thread, on exit: later waiters are answered at once by the caller's thread. */
    void writerDone() {
        lock.lock();
        try {
            writerDone = true;
        } finally {
            lock.unlock();
        }
    }

    private static void complete(Waiter w, long durable, Throwable failure) {
        try {
            if (w.position < durable) {
                w.callback.synced();
            } else {
                w.callback.failed(failure != null ? failure : new IllegalStateException("log is closed"));
            }
        } catch (RuntimeException e) {
            LOG.error("Durability callback for position {} threw", w.position, e);
        }
    }
}
