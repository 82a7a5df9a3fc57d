package io.warren.store.log;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Reads records in order from a position: for recovery, and for shipping the log to a backup. Reads up to
 * the written position (bytes handed to the OS, fsynced or not, so that shipping need not wait for the
 * local fsync), skipping the damaged ranges recovery found. Holds back deletion of the segments it still
 * has to read until closed. Confined to one thread at a time.
 *
 * <p>Payloads are slices of a chunk read ahead of them, so a payload kept long pins its whole chunk:
 * copy what you keep, or page it in later with {@link DurableLog#read}.
 */
public final class LogReader implements AutoCloseable {

    static final int CHUNK_BYTES = 256 * 1024;

    private final ConcurrentSkipListMap<Long, Segment> segments;
    private final AppendQueue queue;
    private final ByteBufAllocator allocator;
    private final RetentionHold hold;
    private long position;
    private ByteBuf chunk;
    /** Log position of the chunk's first byte. */
    private long chunkStart;

    LogReader(ConcurrentSkipListMap<Long, Segment> segments, AppendQueue queue, ByteBufAllocator allocator,
              RetentionHold hold) {
        this.segments = segments;
        this.queue = queue;
        this.allocator = allocator;
        this.hold = hold;
        this.position = hold.position();
    }

    /** Where the next record is looked for. */
    public long position() {
        return position;
    }

    /**
     * The next record, or null when none is written yet (call again later). Its payload is the caller's
     * to release.
     *
     * @throws CorruptRecordException when the bytes at the position are damaged (after the log was opened)
     * @throws IllegalStateException  when the position's segment has been deleted
     */
    public LogRecord next() throws IOException {
        while (true) {
            long limit = queue.writtenPosition();
            if (position >= limit) {
                return null;
            }
            Map.Entry<Long, Segment> entry = segments.floorEntry(position);
            if (entry == null || position < segments.firstKey()) {
                throw new IllegalStateException("position " + position + " is below the log start: its segment was deleted");
            }
            Segment segment = entry.getValue();
            long offset = position - segment.base;
            long segmentEnd = Math.min(segment.end(), limit - segment.base);
            if (offset >= segmentEnd) {
                Long nextBase = segments.higherKey(segment.base);
                if (nextBase == null || nextBase >= limit) {
                    return null;
                }
                position = nextBase; // past a damaged or missing end of an earlier segment
                continue;
            }
            long holeEnd = segment.holeEnd(offset);
            if (holeEnd >= 0) {
                position = segment.base + holeEnd;
                continue;
            }
            return readAt(segment, offset, (int) (segmentEnd - offset));
        }
    }

    private LogRecord readAt(Segment segment, long offset, int available) throws IOException {
        if (available < RecordFormat.HEADER_BYTES) {
            throw Records.corrupt(segment, offset, "a partial header");
        }
        ByteBuffer header = window(segment, offset, RecordFormat.HEADER_BYTES, available);
        if (!RecordFormat.plausibleHeaderAt(header, 0)) {
            throw Records.corrupt(segment, offset, "no record header there");
        }
        int size = RecordFormat.HEADER_BYTES + RecordFormat.lengthAt(header, 0);
        if (size > available) {
            throw Records.corrupt(segment, offset, "record of " + size + " bytes runs past the written end");
        }
        ByteBuffer whole = window(segment, offset, size, available);
        if (RecordFormat.recordSizeAt(whole, 0, size) < 0) {
            throw Records.corrupt(segment, offset, "checksum mismatch");
        }
        int index = (int) (position - chunkStart);
        LogRecord record = new LogRecord(position, RecordFormat.typeAt(whole, 0), RecordFormat.flagsAt(whole, 0),
            RecordFormat.epochAt(whole, 0), chunk.retainedSlice(index + RecordFormat.HEADER_BYTES, size - RecordFormat.HEADER_BYTES));
        position += size;
        hold.moveTo(position);
        return record;
    }

    /** A view of {@code length} bytes at the position, reading a new chunk when the current one lacks them. */
    private ByteBuffer window(Segment segment, long offset, int length, int available) throws IOException {
        if (chunk == null || position < chunkStart || position + length > chunkStart + chunk.writerIndex()) {
            releaseChunk();
            int bytes = Math.min(available, Math.max(CHUNK_BYTES, length));
            ByteBuf fresh = allocator.directBuffer(bytes);
            try {
                segment.readFully(fresh, offset, bytes);
            } catch (IOException | RuntimeException e) {
                fresh.release();
                throw e;
            }
            chunk = fresh;
            chunkStart = position;
        }
        return chunk.nioBuffer((int) (position - chunkStart), length);
    }

    private void releaseChunk() {
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
    }

    @Override
    public void close() {
        releaseChunk();
        hold.close();
    }
}
