package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.warren.amqp.generated.ReplyCode;

/**
 * Assembles one channel's frames into {@link Command}s: a method, then for content methods a header
 * and body frames until the header's body size is reached. Bodies are never copied: one frame's
 * slice is passed on as is, several become a CompositeByteBuf of their slices.
 *
 * <p>{@link #accept} takes ownership of every frame given to it. On an error it releases whatever
 * it holds and starts afresh; the caller then closes the channel or connection and, as the spec
 * says, ignores the channel's frames until close-ok. Confined to the connection's event loop.
 */
public final class CommandAssembler {

    private final long maxBodySize;

    private AmqpMethod method;
    private HeaderFrame header;
    private long remaining;
    private ByteBuf body;
    /** The body once a second frame arrived; null before. */
    private CompositeByteBuf parts;

    /** @param maxBodySize largest body accepted (RabbitMQ's max_message_size); larger is a 406 */
    public CommandAssembler(long maxBodySize) {
        if (maxBodySize < 0) {
            throw new IllegalArgumentException("negative max body size: " + maxBodySize);
        }
        this.maxBodySize = maxBodySize;
    }

    /**
     * Returns the command the frame completes, or null while more frames are needed (and for
     * heartbeats, which belong to the connection). Throws a hard 505 for frames out of order, a hard
     * 501 for more body than announced, and a channel-level 406 for a body larger than the maximum.
     */
    public Command accept(Frame frame) {
        try {
            if (frame instanceof MethodFrame m) {
                return method(m);
            } else if (frame instanceof HeaderFrame h) {
                return header(h);
            } else if (frame instanceof BodyFrame b) {
                return body(b);
            }
            return null;
        } catch (RuntimeException e) {
            ReferenceCountUtil.safeRelease(frame);
            reset();
            throw e;
        }
    }

    /** Whether a content command is half received. */
    public boolean assembling() {
        return method != null;
    }

    /** Drops a half-received command, releasing its buffers (channel closed, connection lost). */
    public void reset() {
        if (header != null) {
            header.release();
        }
        if (body != null) {
            body.release();
        }
        method = null;
        header = null;
        body = null;
        parts = null;
        remaining = 0;
    }

    private Command method(MethodFrame frame) {
        if (method != null) {
            throw unexpected("expected content " + (header == null ? "header" : "body") + " for "
                    + method.amqpName() + ", got method " + frame.method().amqpName());
        }
        if (!frame.method().hasContent()) {
            return new Command(frame.method(), null, null);
        }
        method = frame.method();
        return null;
    }

    private Command header(HeaderFrame frame) {
        if (method == null || header != null) {
            throw unexpected("unexpected content header frame on channel " + frame.channel());
        }
        if (frame.classId() != method.classId()) {
            throw unexpected("expected content header for class " + method.classId() + ", got one for class "
                    + frame.classId());
        }
        if (frame.bodySize() > maxBodySize) {
            throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "message size " + frame.bodySize()
                    + " is larger than configured max size " + maxBodySize, method.classId(), method.methodId());
        }
        header = frame;
        remaining = frame.bodySize();
        return remaining == 0 ? complete(Unpooled.EMPTY_BUFFER) : null;
    }

    private Command body(BodyFrame frame) {
        if (header == null) {
            throw unexpected("unexpected content body frame on channel " + frame.channel());
        }
        ByteBuf payload = frame.payload();
        int size = payload.readableBytes();
        if (size > remaining) {
            throw new FrameException("content body frame of " + size + " bytes exceeds the " + remaining
                    + " bytes still expected for " + method.amqpName());
        }
        if (size == 0) {
            payload.release();
            return null;
        }
        remaining -= size;
        if (body == null) {
            body = payload;
        } else {
            if (parts == null) {
                // No component limit: the default of 16 would consolidate, i.e. copy, big bodies.
                parts = payload.alloc().compositeBuffer(Integer.MAX_VALUE);
                parts.addFlattenedComponents(true, body);
                body = parts;
            }
            // flattened: a frame that spanned several reads is itself a composite of their slices
            parts.addFlattenedComponents(true, payload);
        }
        return remaining == 0 ? complete(body) : null;
    }

    private Command complete(ByteBuf completeBody) {
        Command command = new Command(method, header, completeBody);
        method = null;
        header = null;
        body = null;
        parts = null;
        remaining = 0;
        return command;
    }

    private static ConnectionException unexpected(String text) {
        return new ConnectionException(ReplyCode.UNEXPECTED_FRAME, text);
    }
}
