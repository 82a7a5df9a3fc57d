package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

import java.util.Objects;

/**
 * A content body frame. {@code payload} is a retained slice of the read buffer (never a copy);
 * the reference count of the frame is that of the slice. Safe to hand between threads.
 */
public record BodyFrame(int channel, ByteBuf payload) implements Frame, ReferenceCounted {

    public BodyFrame {
        Frame.checkChannel(channel);
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public BodyFrame retain() {
        payload.retain();
        return this;
    }

    @Override
    public BodyFrame retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public BodyFrame touch() {
        payload.touch();
        return this;
    }

    @Override
    public BodyFrame touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }
}
