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
    /** {@link #replicaLimit} while no replica must confirm: local durability alone releases waiters. */
    private static final long NO_REPLICA = Long.MAX_VALUE;

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
    /**
     * While a replica is in sync: everything before this position is durable on it too. Waiters are
     * released below min(durable, replicaLimit); NO_REPLICA leaves the single-node path as it was.
     */
    private volatile long replicaLimit = NO_REPLICA;
    /** Appended epoch changes; guarded by the lock. */
    private final EpochHistory epochs;
    /** Told the written position after each batch reaches the files, before its fsync. Writer thread. */
    private volatile java.util.function.LongConsumer writtenListener;

    AppendQueue(long maxSegmentBytes, long activeBase, long end, EpochHistory epochs) {
        this.maxSegmentBytes = maxSegmentBytes;
        this.epochs = epochs;
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

    /** Everything before this position is durable locally and, while one is required, on the replica. */
    long confirmedPosition() {
        return Math.min(durablePosition, replicaLimit);
    }

    /**
     * From now on waiters are released only once the replica has their records too; {@code acked} is
     * what it has already. Any thread.
     */
    void requireReplica(long acked) {
        lock.lock();
        try {
            replicaLimit = Math.max(0, acked);
        } finally {
            lock.unlock();
        }
    }

    /** The replica has everything before {@code position} durable; ignored while none is required. */
    void replicaDurable(long position) {
        lock.lock();
        try {
            if (replicaLimit != NO_REPLICA && position > replicaLimit) {
                replicaLimit = position;
                if (readyWaiter()) {
                    wakeWriter(); // callbacks stay on the writer thread, in position order
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Local durability alone confirms again (the replica left the in-sync set). Any thread. */
    void releaseReplica() {
        lock.lock();
        try {
            replicaLimit = NO_REPLICA;
            if (readyWaiter()) {
                wakeWriter();
            }
        } finally {
            lock.unlock();
        }
    }

    boolean replicaRequired() {
        return replicaLimit != NO_REPLICA;
    }

    void writtenListener(java.util.function.LongConsumer listener) {
        writtenListener = listener;
    }

    EpochHistory.Entry[] epochEntries() {
        lock.lock();
        try {
            return epochs.entries();
        } finally {
            lock.unlock();
        }
    }

    /**
     * As {@link #append}, for a record shipped from the primary: it must land exactly at {@code expected}
     * and must not belong to an epoch older than the last one appended.
     */
    long appendAt(PendingRecord record, long expected) {
        lock.lock();
        try {
            if (nextPosition != expected) {
                throw new IllegalArgumentException("replicated record for position " + expected
                    + " but the log ends at " + nextPosition);
            }
            if (Integer.compareUnsigned(record.epoch, epochs.lastEpoch()) < 0 && !epochs.isEmpty()) {
                throw new IllegalArgumentException("replicated record of epoch " + Integer.toUnsignedString(record.epoch)
                    + " after epoch " + Integer.toUnsignedString(epochs.lastEpoch()) + ": older epochs are refused");
            }
            return append(record);
        } finally {
            lock.unlock();
        }
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
            epochs.appended(record.epoch, nextPosition);
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
                if (position < confirmedPosition()) {
                    wakeWriter(); // already durable: the writer calls back, keeping callbacks in order
                }
            }
        } finally {
            lock.unlock();
        }
        if (now) {
            complete(new Waiter(position, 0, callback), confirmedPosition(), failure);
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
        return !waiters.isEmpty() && waiters.peek().position < confirmedPosition();
    }

    /** Writer thread: bytes up to {@code position} are in the files (not necessarily on disk). */
    void written(long position) {
        writtenPosition = position;
        java.util.function.LongConsumer listener = writtenListener;
        if (listener != null) {
            try {
                listener.accept(position);
            } catch (RuntimeException e) {
                LOG.error("Written-position listener threw", e);
            }
        }
    }

    /** Writer thread: everything before {@code position} is fsynced; calls back in position order. */
    void durable(long position) {
        durablePosition = position;
        long confirmed;
        lock.lock();
        try {
            confirmed = confirmedPosition();
            while (!waiters.isEmpty() && waiters.peek().position < confirmed) {
                ready.add(waiters.poll());
            }
        } finally {
            lock.unlock();
        }
        for (Waiter w : ready) {
            complete(w, confirmed, null);
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
            if (replicaLimit != NO_REPLICA) {
                replicaLimit = Math.min(replicaLimit, position);
            }
            epochs.truncate(position);
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
        long confirmed = confirmedPosition();
        for (Waiter w : all) {
            complete(w, confirmed, failure);
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
