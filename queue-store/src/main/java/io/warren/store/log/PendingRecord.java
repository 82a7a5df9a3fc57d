package io.warren.store.log;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A record appended but not yet written. Built on the appender's thread, which also computes the CRC
 * (spreading that work over publishers instead of the single writer); placed under the append lock;
 * then owned by the writer thread, which releases the payload once its bytes are in the file.
 */
final class PendingRecord implements WriteItem {

    final int type;
    final int flags;
    final int epoch;
    final int length;
    final int crc;
    /** Retained slices of the caller's buffers: the bytes are never copied before the writer needs them. */
    private final ByteBuf[] payload;
    /** Set under the append lock, before the writer can see the record. */
    long position;
    long segmentBase;
    private boolean released;

    private PendingRecord(int type, int flags, int epoch, int length, int crc, ByteBuf[] payload) {
        this.type = type;
        this.flags = flags;
        this.epoch = epoch;
        this.length = length;
        this.crc = crc;
        this.payload = payload;
    }

    static PendingRecord of(int type, int flags, int epoch, ByteBuf[] payload) {
        RecordFormat.checkFields(type, flags);
        long total = 0;
        for (ByteBuf b : payload) {
            total += b.readableBytes();
        }
        if (total > RecordFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException("record payload of " + total + " bytes exceeds " + RecordFormat.MAX_PAYLOAD);
        }
        CRC32C crc = RecordFormat.headerCrc(type, flags, (int) total, epoch);
        for (ByteBuf b : payload) {
            update(crc, b);
        }
        ByteBuf[] slices = new ByteBuf[payload.length];
        for (int i = 0; i < payload.length; i++) {
            slices[i] = payload[i].retainedSlice();
        }
        return new PendingRecord(type, flags, epoch, (int) total, (int) crc.getValue(), slices);
    }

    private static void update(CRC32C crc, ByteBuf b) {
        if (b.hasArray()) {
            crc.update(b.array(), b.arrayOffset() + b.readerIndex(), b.readableBytes());
        } else if (b.nioBufferCount() == 1) {
            crc.update(b.nioBuffer());
        } else {
            for (ByteBuffer part : b.nioBuffers()) {
                crc.update(part);
            }
        }
    }

    int size() {
        return RecordFormat.HEADER_BYTES + length;
    }

    /** Copies the payload into {@code dst} at its position, which advances. */
    void copyPayloadTo(ByteBuffer dst) {
        int limit = dst.limit();
        for (ByteBuf b : payload) {
            dst.limit(dst.position() + b.readableBytes());
            b.getBytes(b.readerIndex(), dst);
        }
        dst.limit(limit);
    }

    /** Adds views of the payload for a gathering write; valid until {@link #release()}. */
    void addVectors(List<ByteBuffer> out) {
        for (ByteBuf b : payload) {
            if (b.nioBufferCount() == 1) {
                out.add(b.nioBuffer());
            } else {
                Collections.addAll(out, b.nioBuffers());
            }
        }
    }

    /** Idempotent, so that a failure path can release a whole batch without tracking what was written. */
    void release() {
        if (!released) {
            released = true;
            for (ByteBuf b : payload) {
                b.release();
            }
        }
    }
}
