package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;

/**
 * AMQP primitive encodings (shortstr, longstr) and the range checks the generated method records
 * run in their constructors. Stateless: safe on any thread.
 */
public final class WireFormat {

    public static final int SHORTSTR_MAX = 255;
    /** A UTF-16 char never takes more than 3 UTF-8 bytes, so strings this short need no byte count. */
    private static final int SHORTSTR_SAFE_CHARS = SHORTSTR_MAX / 3;

    private WireFormat() {
    }

    /** Decodes straight from the buffer (no intermediate byte[] for heap buffers). */
    public static String readShortstr(ByteBuf in) {
        int length = in.readUnsignedByte();
        if (length == 0) {
            return "";
        }
        int start = in.readerIndex();
        in.skipBytes(length); // bounds check before decoding
        return in.toString(start, length, StandardCharsets.UTF_8);
    }

    public static void skipShortstr(ByteBuf in) {
        in.skipBytes(in.readUnsignedByte());
    }

    public static void writeShortstr(ByteBuf out, String value) {
        int lengthIndex = out.writerIndex();
        out.writeByte(0);
        int length = out.writeCharSequence(value, StandardCharsets.UTF_8);
        if (length > SHORTSTR_MAX) {
            out.writerIndex(lengthIndex);
            throw new IllegalArgumentException("shortstr longer than 255 UTF-8 bytes: " + length);
        }
        out.setByte(lengthIndex, length);
    }

    public static LongString readLongstr(ByteBuf in) {
        int length = readLength(in);
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return LongString.owning(bytes);
    }

    public static void skipLongstr(ByteBuf in) {
        in.skipBytes(readLength(in));
    }

    public static void writeLongstr(ByteBuf out, LongString value) {
        out.writeInt(value.length());
        value.writeTo(out);
    }

    /** Reads an unsigned 32-bit length and checks that many bytes are actually there. */
    static int readLength(ByteBuf in) {
        long length = in.readUnsignedInt();
        if (length > in.readableBytes()) {
            throw new IndexOutOfBoundsException("length " + length + " exceeds the " + in.readableBytes()
                    + " bytes left");
        }
        return (int) length;
    }

    public static int utf8Length(String value) {
        return ByteBufUtil.utf8Bytes(value);
    }

    public static void checkShortstr(String field, String value) {
        if (value == null) {
            throw new NullPointerException(field + " must not be null");
        }
        if (value.length() > SHORTSTR_SAFE_CHARS) {
            int bytes = utf8Length(value);
            if (bytes > SHORTSTR_MAX) {
                throw new IllegalArgumentException(field + " is " + bytes + " UTF-8 bytes, at most 255 allowed");
            }
        }
    }

    public static void checkOctet(String field, int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(field + " out of range for an octet: " + value);
        }
    }

    public static void checkShort(String field, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(field + " out of range for an unsigned short: " + value);
        }
    }

    public static void checkLong(String field, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(field + " out of range for an unsigned 32-bit long: " + value);
        }
    }
}
