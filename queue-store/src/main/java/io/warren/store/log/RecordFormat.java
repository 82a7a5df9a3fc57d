package io.warren.store.log;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The byte layout of one log record. Stateless: any thread.
 *
 * <pre>
 * offset size  field
 *   0     2    magic   0x5752 ("WR"): lets recovery find the next record after a damaged one
 *   2     1    type    1..255, chosen by the store (0 is reserved, so a zeroed header is never valid)
 *   3     1    flags   0..255, the store's; the log does not interpret them
 *   4     4    length  payload bytes, at most MAX_PAYLOAD
 *   8     4    epoch   the HA epoch the record was appended in, unsigned
 *  12     4    crc     CRC32C of bytes 0..11, then of the payload
 *  16     n    payload
 * </pre>
 *
 * All integers are big-endian, as on the AMQP wire. A record's position is the global byte offset of
 * its magic, so it follows only from the sizes of the records before it: two nodes that append the same
 * records agree on every position whatever their segment size. The CRC does not cover the position, so
 * that a record's bytes are the same wherever it lands and a backup can verify shipped records before
 * appending them.
 */
final class RecordFormat {

    static final int MAGIC = 0x5752;
    static final int HEADER_BYTES = 16;
    static final int CRC_OFFSET = 12;
    /** Keeps every segment offset an int and every record readable into one ByteBuf. */
    static final int MAX_PAYLOAD = 1 << 30;

    private RecordFormat() {
    }

    static void checkFields(int type, int flags) {
        if (type < 1 || type > 255) {
            throw new IllegalArgumentException("record type must be 1..255: " + type);
        }
        if (flags < 0 || flags > 255) {
            throw new IllegalArgumentException("record flags must be 0..255: " + flags);
        }
    }

    /** A CRC that has consumed header bytes 0..11; the caller continues it with the payload. */
    static CRC32C headerCrc(int type, int flags, int length, int epoch) {
        ByteBuffer head = ByteBuffer.allocate(CRC_OFFSET);
        putFields(head, type, flags, length, epoch);
        CRC32C crc = new CRC32C();
        crc.update(head.flip());
        return crc;
    }

    static void putHeader(ByteBuffer dst, int type, int flags, int length, int epoch, int crc) {
        putFields(dst, type, flags, length, epoch);
        dst.putInt(crc);
    }

    private static void putFields(ByteBuffer dst, int type, int flags, int length, int epoch) {
        dst.putShort((short) MAGIC).put((byte) type).put((byte) flags).putInt(length).putInt(epoch);
    }

    /**
     * The size of the intact record whose header starts at {@code off}, or -1 when there is none: bad
     * magic or type, a length running past {@code limit}, or a CRC mismatch. Absolute reads only.
     */
    static int recordSizeAt(ByteBuffer buf, int off, int limit) {
        if (limit - off < HEADER_BYTES || (buf.getShort(off) & 0xFFFF) != MAGIC || typeAt(buf, off) == 0) {
            return -1;
        }
        int length = lengthAt(buf, off);
        if (length < 0 || length > MAX_PAYLOAD || length > limit - off - HEADER_BYTES) {
            return -1;
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.slice(off, CRC_OFFSET));
        crc.update(buf.slice(off + HEADER_BYTES, length));
        return (int) crc.getValue() == buf.getInt(off + CRC_OFFSET) ? HEADER_BYTES + length : -1;
    }

    /** True when {@code off} holds the magic and a sane length: a header worth reading the rest of. */
    static boolean plausibleHeaderAt(ByteBuffer buf, int off) {
        int length = lengthAt(buf, off);
        return (buf.getShort(off) & 0xFFFF) == MAGIC && length >= 0 && length <= MAX_PAYLOAD;
    }

    static int typeAt(ByteBuffer buf, int off) {
        return buf.get(off + 2) & 0xFF;
    }

    static int flagsAt(ByteBuffer buf, int off) {
        return buf.get(off + 3) & 0xFF;
    }

    static int lengthAt(ByteBuffer buf, int off) {
        return buf.getInt(off + 4);
    }

    static int epochAt(ByteBuffer buf, int off) {
        return buf.getInt(off + 8);
    }
}
