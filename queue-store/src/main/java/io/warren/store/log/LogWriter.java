package io.warren.store.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log's one writer thread: takes each batch from the {@link AppendQueue}, writes it with gathering
 * writes, fsyncs every segment it touched once, then calls back all the waiters the batch made durable.
 * It is the only thread that creates, writes, truncates or deletes segment files.
 *
 * <p>Failure policy: an I/O error in a write or fsync fails the log for good. Nothing in the failed batch
 * is reported durable (a failed fsync may already have dropped the dirty pages, so no retry can be
 * trusted), every waiter above the durable position fails, and later appends throw. The bytes that did
 * reach the file are judged by recovery at the next open, like after a crash.
 */
final class LogWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);

    private final Path dir;
    private final LogConfig config;
    private final ConcurrentSkipListMap<Long, Segment> segments;
    private final AppendQueue queue;
    private final Set<RetentionHold> holds;
    private final FaultHook hook;
    private final GatherWriter gather = new GatherWriter();
    /** Segments written since their last fsync, oldest first. */
    private final List<Segment> dirty = new ArrayList<>(2);
    private Segment active;
    /** Log position just past the last record handed to {@link #gather}. */
    private long queuedEnd;
    private volatile long syncs;
    /** Records handed to {@link #gather} since opening; published once per batch as {@link #recordsWritten}. */
    private long records;
    private volatile long recordsWritten;

    LogWriter(Path dir, LogConfig config, ConcurrentSkipListMap<Long, Segment> segments, AppendQueue queue,
              Set<RetentionHold> holds, FaultHook hook) {
        this.dir = dir;
        this.config = config;
        this.segments = segments;
        this.queue = queue;
        this.holds = holds;
        this.hook = hook;
        this.active = segments.lastEntry().getValue();
        this.queuedEnd = queue.endPosition();
    }

    /** Segment fsyncs done so far (directory fsyncs not counted). */
    long syncCount() {
        return syncs;
    }

    /** Records written since opening, as of the last written batch (what the written-position listener was told). */
    long recordsWritten() {
        return recordsWritten;
    }

    @Override
    public void run() {
        List<WriteItem> batch = new ArrayList<>();
        try {
            List<WriteItem> next;
            while ((next = queue.takeBatch(batch)) != null) {
                batch = next;
                for (WriteItem item : batch) {
                    process(item);
                }
                syncWritten();
                batch.clear();
            }
        } catch (Throwable t) {
            LOG.error("Log {} failed: appends are refused until it is reopened", dir, t);
            gather.discard();
            drop(batch, t);
            drop(queue.fail(t), t);
        } finally {
            queue.writerDone();
        }
    }

    private void process(WriteItem item) throws IOException {
        if (item instanceof PendingRecord record) {
            write(record);
        } else if (item instanceof TruncateCommand cut) {
            syncWritten();
            truncate(cut);
        } else if (item instanceof RetentionCommand retention) {
            syncWritten();
            deleteBefore(retention);
        }
    }

    private void write(PendingRecord record) throws IOException {
        if (record.segmentBase != active.base) {
            roll(record.segmentBase);
        }
        if (record.position != queuedEnd) {
            throw new IllegalStateException("record placed at " + record.position + " but the log is at " + queuedEnd);
        }
        if (dirty.isEmpty() || dirty.get(dirty.size() - 1) != active) {
            dirty.add(active);
        }
        if (!gather.fits(record)) {
            flush();
        }
        gather.add(record);
        queuedEnd += record.size();
        records++;
    }

    private void flush() throws IOException {
        if (gather.queued() > 0) {
            hook.beforeWrite(active.file);
            long bytes = gather.flush(active.writer());
            active.end(active.end() + bytes);
        }
    }

    /** Writes what is queued, fsyncs every touched segment once, and reports the batch durable. */
    private void syncWritten() throws IOException {
        flush();
        if (dirty.isEmpty()) {
            queue.durable(queue.durablePosition()); // callbacks registered for already-durable records
            return;
        }
        recordsWritten = records; // before the listener hears the position: it reads both together
        queue.written(queuedEnd);
        for (Segment segment : dirty) {
            if (config.fsync()) {
                hook.beforeForce(segment.file);
                segment.force();
                syncs++;
            }
            if (segment != active) {
                segment.closeWriter();
            }
        }
        dirty.clear();
        queue.durable(queuedEnd);
    }

    /** Moves on to a new segment; the old one is forced with the batch, before anyone hears "durable". */
    private void roll(long base) throws IOException {
        flush();
        if (config.preallocate()) {
            active.trimToEnd();
        }
        if (!dirty.contains(active)) {
            active.closeWriter(); // nothing unsynced in it; otherwise it is forced, then closed, with the batch
        }
        Segment next = Segment.create(dir, base, config.preallocate() ? config.maxSegmentBytes() : 0);
        Directories.sync(dir);
        segments.put(base, next);
        active = next;
    }

    private void truncate(TruncateCommand cut) throws IOException {
        long position = cut.position();
        var floorEntry = segments.floorEntry(position);
        Segment floor = floorEntry == null ? null : floorEntry.getValue();
        String refusal = floor == null ? "it is below the log start " + segments.firstKey()
            : position > queuedEnd ? "it is past the log end " + queuedEnd
            : !isBoundary(floor, position - floor.base) ? "no record starts there" : null;
        if (refusal != null) {
            queue.truncationAborted();
            cut.done().completeExceptionally(new IllegalArgumentException("cannot truncate the log at " + position + ": " + refusal));
            return;
        }
        // Highest first: a crash part-way leaves a shorter log that still ends cleanly.
        for (Segment later : segments.tailMap(position, false).descendingMap().values()) {
            segments.remove(later.base);
            later.delete();
        }
        floor.truncate(position - floor.base);
        floor.force();
        Directories.sync(dir);
        active = floor;
        queuedEnd = position;
        LOG.info("Truncated log {} at position {}", dir, position);
        queue.truncated(position, floor.base);
        cut.done().complete(null);
    }

    private boolean isBoundary(Segment segment, long offset) {
        if (offset == segment.end() || segment.holeStartsAt(offset)) {
            return true;
        }
        try {
            Records.read(segment, offset, config.allocator()).release();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void deleteBefore(RetentionCommand retention) throws IOException {
        long limit = Math.min(retention.position(), Math.min(queue.durablePosition(), RetentionHold.lowest(holds)));
        int deleted = 0;
        for (Segment segment : segments.values()) {
            Long nextBase = segments.higherKey(segment.base);
            if (nextBase == null || nextBase > limit) {
                break;
            }
            segments.remove(segment.base);
            segment.delete();
            deleted++;
        }
        if (deleted > 0) {
            Directories.sync(dir);
            LOG.info("Deleted {} segments of log {}; it now starts at {}", deleted, dir, segments.firstKey());
        }
        retention.done().complete(deleted);
    }

    private void drop(List<WriteItem> items, Throwable cause) {
        for (WriteItem item : items) {
            if (item instanceof PendingRecord record) {
                record.release();
            } else if (item instanceof TruncateCommand cut) {
                cut.done().completeExceptionally(cause);
            } else if (item instanceof RetentionCommand retention) {
                retention.done().completeExceptionally(cause);
            }
        }
    }
}
