package io.warren.amqp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An AMQP longstr: arbitrary bytes, usually but not necessarily UTF-8. Equality is by bytes, which the
 * headers exchange relies on. Immutable: safe on any thread.
 */
public final class LongString {

    public static final LongString EMPTY = new LongString(new byte[0]);

    private final byte[] bytes;
    /** Decoded text, cached racily: recomputing it twice is harmless. */
    private String utf8;

    private LongString(byte[] bytes) {
        this.bytes = bytes;
    }

    public static LongString of(String text) {
        LongString s = new LongString(text.getBytes(StandardCharsets.UTF_8));
        s.utf8 = text;
        return s;
    }

    public static LongString copyOf(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new LongString(bytes.clone());
    }

    /** Takes ownership of {@code bytes} without copying: the caller must not touch the array again. */
    static LongString owning(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new LongString(bytes);
    }

    public int length() {
        return bytes.length;
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Writes the bytes only, without the length prefix. */
    public void writeTo(ByteBuf out) {
        out.writeBytes(bytes);
    }

    /** The bytes decoded as UTF-8 (malformed sequences become U+FFFD). */
    public String utf8() {
        String s = utf8;
        if (s == null) {
            s = new String(bytes, StandardCharsets.UTF_8);
            utf8 = s;
        }
        return s;
    }

    @Override
    public String toString() {
        return utf8();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LongString other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
