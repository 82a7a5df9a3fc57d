package io.warren.amqp;

/**
 * A field-table value of type 'B'. A distinct type (not Integer) so that decode-then-encode gives
 * back the same bytes. Immutable: safe on any thread.
 */
public record UnsignedByte(int value) {
    public UnsignedByte {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException("unsigned byte out of range: " + value);
        }
    }
}
