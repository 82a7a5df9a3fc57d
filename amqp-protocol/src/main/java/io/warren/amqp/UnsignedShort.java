package io.warren.amqp;

/**
 * A field-table value of type 'u'. A distinct type (not Integer) so that decode-then-encode gives
 * back the same bytes. Immutable: safe on any thread.
 */
public record UnsignedShort(int value) {
    public UnsignedShort {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("unsigned short out of range: " + value);
        }
    }
}
