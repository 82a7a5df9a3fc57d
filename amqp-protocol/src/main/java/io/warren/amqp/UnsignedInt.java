package io.warren.amqp;

/**
 * A field-table value of type 'i'. A distinct type (not Long) so that decode-then-encode gives
 * back the same bytes. Immutable: safe on any thread.
 */
public record UnsignedInt(long value) {
    public UnsignedInt {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("unsigned int out of range: " + value);
        }
    }
}
