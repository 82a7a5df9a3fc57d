package io.warren.store.log;

import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;

/**
 * How a {@link DurableLog} lays out its files. Immutable: any thread.
 *
 * @param maxSegmentBytes  a segment rolls over before a record would take it past this size; a single
 *                         record larger than it gets a segment of its own
 * @param preallocate      fill each new segment with zeros up front, so that fsync need not update
 *                         the file's size and block map on every batch; costs a full-segment write at
 *                         each rollover, on the writer thread
 * @param writerThreadName name of the thread that writes and fsyncs
 * @param allocator        where buffers for records read back come from
 * @param fsync            fsync each batch before reporting it durable; off only for a scratch log whose
 *                         contents never need to survive a crash (transient messages paged out): then
 *                         "durable" means written to the page cache
 */
public record LogConfig(long maxSegmentBytes, boolean preallocate, String writerThreadName,
                        ByteBufAllocator allocator, boolean fsync) {

    public static final long DEFAULT_MAX_SEGMENT_BYTES = 16L << 20;
    public static final long MIN_SEGMENT_BYTES = 256;
    /** Segment offsets stay ints, and a whole segment can be mapped for recovery. */
    public static final long MAX_SEGMENT_BYTES = 1L << 30;

    public LogConfig {
        if (maxSegmentBytes < MIN_SEGMENT_BYTES || maxSegmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("maxSegmentBytes must be " + MIN_SEGMENT_BYTES + ".."
                + MAX_SEGMENT_BYTES + ": " + maxSegmentBytes);
        }
        Objects.requireNonNull(writerThreadName, "writerThreadName");
        if (writerThreadName.isBlank()) {
            throw new IllegalArgumentException("writerThreadName must not be blank");
        }
        Objects.requireNonNull(allocator, "allocator");
    }

    public LogConfig(long maxSegmentBytes, boolean preallocate, String writerThreadName, ByteBufAllocator allocator) {
        this(maxSegmentBytes, preallocate, writerThreadName, allocator, true);
    }

    public static LogConfig defaults() {
        return new LogConfig(DEFAULT_MAX_SEGMENT_BYTES, false, "warren-log-writer", ByteBufAllocator.DEFAULT);
    }

    public LogConfig withMaxSegmentBytes(long bytes) {
        return new LogConfig(bytes, preallocate, writerThreadName, allocator, fsync);
    }

    public LogConfig withPreallocate(boolean on) {
        return new LogConfig(maxSegmentBytes, on, writerThreadName, allocator, fsync);
    }

    public LogConfig withWriterThreadName(String name) {
        return new LogConfig(maxSegmentBytes, preallocate, name, allocator, fsync);
    }

    public LogConfig withAllocator(ByteBufAllocator alloc) {
        return new LogConfig(maxSegmentBytes, preallocate, writerThreadName, alloc, fsync);
    }

    public LogConfig withFsync(boolean on) {
        return new LogConfig(maxSegmentBytes, preallocate, writerThreadName, allocator, on);
    }
}
