package io.warren.amqp;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A field-table value of type 'x' (raw bytes). Wraps the array so that equals/hashCode compare
 * contents. Immutable (the array is copied in and out): safe on any thread.
 */
public record ByteArray(byte[] bytes) {

    public ByteArray {
        bytes = bytes.clone();
    }

    /** A copy: the record stays immutable. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteArray other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ByteArray[" + HexFormat.of().formatHex(bytes) + "]";
    }
}
