package io.warren.store.log;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Reads one record at a known offset of a segment, checking it whole. Any thread. */
final class Records {

    /** A first read this large usually holds a whole message, sparing a second syscall. */
    private static final int FIRST_READ = 4096;

    private Records() {
    }

    /** The intact record at {@code offset}; its payload is the caller's to release. */
    static LogRecord read(Segment segment, long offset, ByteBufAllocator allocator) throws IOException {
        long available = segment.end() - offset;
        if (offset < 0 || available < RecordFormat.HEADER_BYTES || segment.holeEnd(offset) >= 0) {
            throw corrupt(segment, offset, "no record there");
        }
        int first = (int) Math.min(available, FIRST_READ);
        ByteBuf buf = allocator.buffer(first);
        try {
            segment.readFully(buf, offset, first);
            ByteBuffer header = buf.nioBuffer(0, RecordFormat.HEADER_BYTES);
            if (!RecordFormat.plausibleHeaderAt(header, 0)) {
                throw corrupt(segment, offset, "no record header there");
            }
            int size = RecordFormat.HEADER_BYTES + RecordFormat.lengthAt(header, 0);
            if (size > available) {
                throw corrupt(segment, offset, "record of " + size + " bytes runs past the segment end");
            }
            if (size > first) {
                segment.readFully(buf, offset + first, size - first);
            }
            if (RecordFormat.recordSizeAt(buf.nioBuffer(0, size), 0, size) < 0) {
                throw corrupt(segment, offset, "checksum mismatch");
            }
            return new LogRecord(segment.base + offset, RecordFormat.typeAt(header, 0), RecordFormat.flagsAt(header, 0),
                RecordFormat.epochAt(header, 0), buf.retainedSlice(RecordFormat.HEADER_BYTES, size - RecordFormat.HEADER_BYTES));
        } finally {
            buf.release();
        }
    }

    static CorruptRecordException corrupt(Segment segment, long offset, String why) {
        return new CorruptRecordException("no intact record at position " + (segment.base + offset)
            + " (offset " + offset + " of " + segment + "): " + why);
    }
}
