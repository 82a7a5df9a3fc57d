package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

import java.util.Objects;

/**
 * A content header frame. {@code rawProperties} (property flags + property list, a retained slice
 * of the read buffer) is kept undecoded so the broker can store and deliver it byte for byte;
 * {@link #properties()} decodes it on demand. The reference count is that of the slice. Safe to
 * hand between threads.
 */
public record HeaderFrame(int channel, int classId, long bodySize, ByteBuf rawProperties)
        implements Frame, ReferenceCounted {

    public HeaderFrame {
        Frame.checkChannel(channel);
        WireFormat.checkShort("classId", classId);
        if (bodySize < 0) {
            throw new IllegalArgumentException("negative body size: " + bodySize);
        }
        Objects.requireNonNull(rawProperties, "rawProperties");
    }

    /**
     * Decodes the properties; each call decodes again, so keep the result. Throws only
     * {@link MalformedFrameException} on bad bytes.
     */
    public BasicProperties properties() {
        return BasicProperties.decode(rawProperties.duplicate());
    }

    @Override
    public int refCnt() {
        return rawProperties.refCnt();
    }

    @Override
    public HeaderFrame retain() {
        rawProperties.retain();
        return this;
    }

    @Override
    public HeaderFrame retain(int increment) {
        rawProperties.retain(increment);
        return this;
    }

    @Override
    public HeaderFrame touch() {
        rawProperties.touch();
        return this;
    }

    @Override
    public HeaderFrame touch(Object hint) {
        rawProperties.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return rawProperties.release();
    }

    @Override
    public boolean release(int decrement) {
        return rawProperties.release(decrement);
    }
}
