package io.warren.store.log;

import io.netty.buffer.ByteBuf;

/**
 * One record read back from the log. The payload is a slice of a buffer the log read from disk: the
 * receiver owns one reference and must {@link #release()} it. Immutable; hand it to any one thread.
 *
 * @param position global byte offset of the record's header: pass it to {@link DurableLog#read}
 * @param type     1..255, as appended
 * @param flags    0..255, as appended
 * @param epoch    the epoch tag, unsigned (see {@link Integer#toUnsignedLong})
 * @param payload  the payload bytes, readable from its reader index
 */
public record LogRecord(long position, int type, int flags, int epoch, ByteBuf payload) {

    /** Bytes the record occupies in the log, header included. */
    public int size() {
        return RecordFormat.HEADER_BYTES + payload.readableBytes();
    }

    /** The position of the record that follows this one. */
    public long nextPosition() {
        return position + size();
    }

    /** The record's CRC32C as the log stores it: what {@link DurableLog#appendReplica} checks. */
    public int checksum() {
        java.util.zip.CRC32C crc = RecordFormat.headerCrc(type, flags, payload.readableBytes(), epoch);
        for (java.nio.ByteBuffer part : payload.nioBuffers()) {
            crc.update(part);
        }
        return (int) crc.getValue();
    }

    public boolean release() {
        return payload.release();
    }
}
