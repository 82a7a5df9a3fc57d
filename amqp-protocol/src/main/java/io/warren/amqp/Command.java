package io.warren.amqp;

import io.netty.buffer.ByteBuf;

import java.util.Objects;

/**
 * A complete command: a method and, for content methods (basic.publish...), its header and body.
 * The body is a retained slice of the read buffer (or a composite of such slices when it came in
 * several frames): the receiver owns header and body and must {@link #release()} them, or hand
 * them on. Safe to hand between threads.
 *
 * @param header null for methods without content
 * @param body   null for methods without content; an empty buffer for an empty body
 */
public record Command(AmqpMethod method, HeaderFrame header, ByteBuf body) {

    public Command {
        Objects.requireNonNull(method, "method");
        if ((header == null) != (body == null)) {
            throw new IllegalArgumentException("header and body go together");
        }
    }

    public boolean hasContent() {
        return header != null;
    }

    /** The decoded content properties, or null without content; decodes on every call. */
    public BasicProperties properties() {
        return header == null ? null : header.properties();
    }

    /** Releases header and body; a no-op without content. */
    public void release() {
        if (header != null) {
            header.release();
            body.release();
        }
    }
}
