package io.warren.store.log;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Warren's write-ahead log: a segmented, append-only, checksummed sequence of records in one directory
 * (record layout in {@link RecordFormat}, file naming in {@link Segment}, crash policy in
 * {@link Recovery}, disk-error policy in {@link LogWriter}; docs/storage.md has all of it). Thread-safe:
 * every method may be called from any thread; durability callbacks run on the writer thread.
 *
 * <p>Appending and making durable are separate steps, so that replication can sit between them:
 * {@link #append} only places the record and returns its position; one writer thread writes everything
 * appended while its previous fsync ran as one batch, fsyncs once, and then calls back every waiter the
 * batch covers. Many publishers thus share each fsync, and no caller ever waits on the disk.
 */
public final class DurableLog implements AutoCloseable {

    private static final String LOCK_FILE = ".lock";

    private final Path dir;
    private final LogConfig config;
    private final ConcurrentSkipListMap<Long, Segment> segments;
    private final AppendQueue queue;
    private final LogWriter writer;
    private final Thread writerThread;
    private final Set<RetentionHold> holds = ConcurrentHashMap.newKeySet();
    private final RecoveryReport recovery;
    private final FileChannel lockChannel;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DurableLog(Path dir, LogConfig config, Recovery.Outcome recovered, FileChannel lockChannel, FaultHook hook) {
        this.dir = dir;
        this.config = config;
        this.segments = recovered.segments();
        this.recovery = recovered.report();
        this.lockChannel = lockChannel;
        Map.Entry<Long, Segment> last = segments.lastEntry();
        this.queue = new AppendQueue(config.maxSegmentBytes(), last.getKey(), last.getKey() + last.getValue().end(),
            recovered.epochs());
        this.writer = new LogWriter(dir, config, segments, queue, holds, hook);
        this.writerThread = new Thread(writer, config.writerThreadName());
        writerThread.setDaemon(true); // only fsynced records are ever confirmed: a forgotten log loses nothing
        writerThread.start();
    }

    /**
     * Opens (recovering) the log in {@code dir}, which must exist; an empty directory starts an empty log
     * at position 0. Only one log may have a directory open at a time.
     *
     * @throws java.nio.file.NoSuchFileException    when the directory is missing
     * @throws java.nio.file.NotDirectoryException  when it is a file
     * @throws java.nio.file.AccessDeniedException  when it cannot be read or written
     */
    public static DurableLog open(Path dir, LogConfig config) throws IOException {
        return open(dir, config, FaultHook.NONE);
    }

    static DurableLog open(Path dir, LogConfig config, FaultHook hook) throws IOException {
        Recovery.checkDirectory(dir);
        FileChannel lockChannel = lock(dir);
        try {
            return new DurableLog(dir, config, Recovery.run(dir, config), lockChannel, hook);
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
    }

    private static FileChannel lock(Path dir) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new IOException("log directory " + dir + " is open in another process");
            }
            return ch;
        } catch (OverlappingFileLockException e) {
            ch.close();
            throw new IOException("log directory " + dir + " is already open", e);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** {@link #append(int, int, int, ByteBuf...)} with no flags. */
    public long append(int type, int epoch, ByteBuf... payload) {
        return append(type, 0, epoch, payload);
    }

    /**
     * Appends a record whose payload is the readable bytes of {@code payload}, in order, and returns its
     * position at once, without waiting for the disk. The log retains its own slice of each buffer
     * until written, so the caller keeps (and releases) its reference, but must not change those bytes.
     *
     * @param type  1..255, the store's record type
     * @param flags 0..255, the store's
     * @param epoch the HA epoch to tag the record with (unsigned)
     * @throws LogFailedException     when a disk error has failed the log
     * @throws IllegalStateException  when the log is closed or being truncated
     */
    public long append(int type, int flags, int epoch, ByteBuf... payload) {
        PendingRecord record = PendingRecord.of(type, flags, epoch, payload);
        try {
            return queue.append(record);
        } catch (RuntimeException e) {
            record.release();
            throw e;
        }
    }

    /**
     * Appends a record shipped from a primary, which must land at {@code position} (this log's end) with
     * the checksum {@code crc} the primary computed: a backup's log keeps the same positions and bytes.
     * Records of an epoch older than the last one appended are refused.
     *
     * @throws IllegalArgumentException when the position, the checksum or the epoch does not fit
     */
    public long appendReplica(long position, int type, int flags, int epoch, int crc, ByteBuf payload) {
        PendingRecord record = PendingRecord.of(type, flags, epoch, new ByteBuf[] {payload});
        try {
            if (record.crc != crc) {
                throw new IllegalArgumentException("replicated record for position " + position + " fails its checksum");
            }
            return queue.appendAt(record, position);
        } catch (RuntimeException e) {
            record.release();
            throw e;
        }
    }

    /**
     * Calls back once the record at {@code position} (a position {@link #append} returned) and everything
     * before it are fsynced (and, while {@link #requireReplica a replica is required}, durable on it too),
     * or once they never will be. Callbacks run on the writer thread in position
     * order, also for a record that is already durable, so hand off and return.
     */
    public void durable(long position, SyncCallback callback) {
        queue.awaitDurable(position, callback);
    }

    /** {@link #durable} as a future; it completes on the writer thread, so chain with *Async variants. */
    public CompletableFuture<Void> syncedTo(long position) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        durable(position, new SyncCallback() {
            @Override
            public void synced() {
                done.complete(null);
            }

            @Override
            public void failed(Throwable cause) {
                done.completeExceptionally(cause);
            }
        });
        return done;
    }

    /**
     * From now on durability callbacks wait for the replica as well: a record is confirmed only once it is
     * fsynced here and the replica has reported it durable ({@link #replicaDurable}). {@code acked} is the
     * replica's durable position now. Any thread.
     */
    public void requireReplica(long acked) {
        queue.requireReplica(acked);
    }

    /** The replica has fsynced everything before {@code position}; releases the waiters that covers. */
    public void replicaDurable(long position) {
        queue.replicaDurable(position);
    }

    /** Local fsync alone confirms again: the replica left the in-sync set. */
    public void releaseReplica() {
        queue.releaseReplica();
    }

    public boolean replicaRequired() {
        return queue.replicaRequired();
    }

    /** Everything before this position is confirmed: durable here, and on the replica while one is required. */
    public long confirmedPosition() {
        return queue.confirmedPosition();
    }

    /**
     * {@code listener} is told the written position each time a batch reaches the files, before that
     * batch's fsync, on the writer thread: it must only hand off (wake a shipping thread). Null removes it.
     */
    public void onWritten(java.util.function.LongConsumer listener) {
        queue.writtenListener(listener);
    }

    /** The ⟨epoch, first position⟩ pairs of the records in the log, oldest first. */
    public List<EpochHistory.Entry> epochHistory() {
        return List.of(queue.epochEntries());
    }

    /** Everything before this position is fsynced. */
    public long durablePosition() {
        return queue.durablePosition();
    }

    /** Everything before this position is in the files (maybe only in the page cache): readable. */
    public long writtenPosition() {
        return queue.writtenPosition();
    }

    /** Where the next append goes; {@code endPosition() - writtenPosition()} is the bytes queued in memory. */
    public long endPosition() {
        return queue.endPosition();
    }

    /** The base of the oldest segment still kept. */
    public long startPosition() {
        return segments.firstKey();
    }

    /**
     * Records written to the files since this log was opened, as of the last batch: read inside the
     * {@link #onWritten} listener it counts exactly the records before the position the listener was told.
     */
    public long recordsWritten() {
        return writer.recordsWritten();
    }

    /** Segment fsyncs done since opening: with group commit, far fewer than appends. */
    public long syncCount() {
        return writer.syncCount();
    }

    /** Base positions of the segments, oldest first. */
    public List<Long> segmentBases() {
        return List.copyOf(segments.keySet());
    }

    /**
     * Cuts off every record at and after {@code position}, which must be a record's position or the end,
     * deleting the segments after it. Meant for the unconfirmed tail only (a node rejoining its primary),
     * with appends stopped: appends fail while it runs, and waiters for cut records fail with
     * {@link LogTruncatedException}. Completes on the writer thread once the cut is on disk, or fails
     * with IllegalArgumentException when no record starts at {@code position}.
     *
     * @throws IllegalArgumentException when the position is past the end
     * @throws IllegalStateException    when another truncation is in progress or the log is closed
     */
    public CompletableFuture<Void> truncate(long position) {
        truncations.incrementAndGet();
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.submit(new TruncateCommand(position, done));
        return done;
    }

    /**
     * Deletes the segments lying wholly below {@code position}; the caller decides what is no longer live.
     * Never deletes the last segment, anything not yet durable, nor what a {@link RetentionHold} (such as
     * an open {@link LogReader}) still covers. Completes with the number deleted, on the writer thread.
     */
    public CompletableFuture<Integer> deleteSegmentsBefore(long position) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        queue.submit(new RetentionCommand(position, done));
        return done;
    }

    /** Holds back deletion of the segments at and after {@code position} until closed. */
    public RetentionHold hold(long position) {
        return new RetentionHold(holds, position);
    }

    /**
     * Reads the written record at {@code position}, e.g. to page a message body back in. Blocking file
     * I/O: not on an event loop. The payload is the caller's to release.
     *
     * @throws IllegalArgumentException when the position is not written yet or below the log start
     * @throws CorruptRecordException   when no intact record starts there
     */
    public LogRecord read(long position) throws IOException {
        checkNotClosed();
        long written = queue.writtenPosition();
        Map.Entry<Long, Segment> entry = segments.floorEntry(position);
        if (position < 0 || position >= written || entry == null) {
            throw new IllegalArgumentException("position " + position + " is not in the written log ["
                + segments.firstKey() + ", " + written + ")");
        }
        return Records.read(entry.getValue(), position - entry.getKey(), config.allocator());
    }

    /** How many truncations were asked of this instance so far: a reader of its records can tell that none came between. */
    public long truncations() {
        return truncations.get();
    }

    private final java.util.concurrent.atomic.AtomicLong truncations = new java.util.concurrent.atomic.AtomicLong();

    /** A sequential reader from {@code position} (a record's position, or {@link #startPosition()}). */
    public LogReader reader(long position) {
        checkNotClosed();
        return new LogReader(segments, queue, config.allocator(), hold(position));
    }

    /** What opening the log found: damaged ranges skipped, torn bytes cut. */
    public RecoveryReport recovery() {
        return recovery;
    }

    public Path directory() {
        return dir;
    }

    /** The disk error that failed the log, or null while it is healthy. */
    public LogFailedException failure() {
        return queue.failure();
    }

    /**
     * Empties the (closed) log in {@code dir} and makes it start at {@code start}: how a backup that is too
     * far behind takes a full copy from a primary whose log no longer reaches back to where it stopped.
     *
     * @throws IOException when the directory is open elsewhere or cannot be written
     */
    public static void resetAt(Path dir, long start) throws IOException {
        Recovery.checkDirectory(dir);
        if (start < 0) {
            throw new IllegalArgumentException("log start must be >= 0: " + start);
        }
        try (FileChannel lock = lock(dir)) {
            try (var files = java.nio.file.Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Segment.baseOf(f) >= 0) {
                        java.nio.file.Files.delete(f);
                    }
                }
            }
            Segment.create(dir, start, 0).close();
            Directories.sync(dir);
        }
    }

    private void checkNotClosed() {
        if (closed.get()) {
            throw new IllegalStateException("log " + dir + " is closed");
        }
    }

    /**
     * Writes and fsyncs everything appended, calls back its waiters, then closes the files. Must not be
     * called from a durability callback (the writer thread would wait for itself).
     */
    @Override
    public void close() throws IOException {
        if (Thread.currentThread() == writerThread) {
            throw new IllegalStateException("a log cannot be closed from its own writer thread");
        }
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        queue.close();
        boolean interrupted = false;
        while (writerThread.isAlive()) {
            try {
                writerThread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            for (Segment segment : segments.values()) {
                segment.close();
            }
        } finally {
            lockChannel.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
