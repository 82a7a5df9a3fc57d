package io.warren.amqp;

import java.util.Objects;

/** A method frame, already decoded. Immutable: safe on any thread. */
public record MethodFrame(int channel, AmqpMethod method) implements Frame {
    public MethodFrame {
        Frame.checkChannel(channel);
        Objects.requireNonNull(method, "method");
    }
}
