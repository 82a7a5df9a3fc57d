package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.amqp.generated.ProtocolConstants;

import java.util.function.Consumer;

/**
 * Writes outbound frames. Content bodies above {@link #INLINE_BODY_MAX} are never copied: they go out as retained slices between
 * small buffers holding the frame prefixes and frame-end octets, ready for
 * {@code ctx.write(buf, ctx.voidPromise())} and a gathering socket write. Stateless: safe on any
 * thread (the buffers it produces belong to the caller).
 */
public final class FrameWriter {

    private static final int PREFIX = 7;
    private static final int FRAME_END = ProtocolConstants.FRAME_END;
    /**
     * Bodies up to this size are copied into the buffer of their method and header frames, so that a delivery is one
     * write instead of three (each write is an entry in the socket's outbound buffer and a trip down the pipeline).
     */
    static final int INLINE_BODY_MAX = 8192;
    /** Shared and never released; written through duplicates, as Netty's HTTP encoder does with CRLF. */
    private static final ByteBuf FRAME_END_BUFFER =
            Unpooled.unreleasableBuffer(Unpooled.directBuffer(1, 1).writeByte(FRAME_END));

    private FrameWriter() {
    }

    /** Appends a complete method frame to {@code out}. */
    public static void writeMethod(ByteBuf out, int channel, AmqpMethod method) {
        int start = out.writerIndex();
        out.writeByte(ProtocolConstants.FRAME_METHOD).writeShort(channel).writeInt(0);
        out.writeShort(method.classId()).writeShort(method.methodId());
        try {
            method.encodeArguments(out);
        } catch (RuntimeException e) { // an unsupported field-table value: leave no half frame behind
            out.writerIndex(start);
            throw e;
        }
        out.setInt(start + 3, out.writerIndex() - start - PREFIX);
        out.writeByte(FRAME_END);
    }

    /** A new buffer holding one method frame. */
    public static ByteBuf encodeMethod(ByteBufAllocator alloc, int channel, AmqpMethod method) {
        ByteBuf out = alloc.ioBuffer(64);
        try {
            writeMethod(out, channel, method);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Appends a content header frame built from raw property bytes (flags + list), not re-encoded. */
    public static void writeHeader(ByteBuf out, int channel, int classId, long bodySize, ByteBuf rawProperties) {
        int length = rawProperties.readableBytes();
        out.writeByte(ProtocolConstants.FRAME_HEADER).writeShort(channel).writeInt(12 + length);
        out.writeShort(classId).writeShort(0).writeLong(bodySize);
        out.writeBytes(rawProperties, rawProperties.readerIndex(), length);
        out.writeByte(FRAME_END);
    }

    public static void writeHeartbeat(ByteBuf out) {
        out.writeByte(ProtocolConstants.FRAME_HEARTBEAT).writeShort(0).writeInt(0).writeByte(FRAME_END);
    }

    /**
     * Emits a content method (basic.deliver, get-ok, return) with its header and body, the body split
     * into frames of at most {@code frameMax} bytes (0: no limit). The sink receives, in order,
     * buffers it owns: one holding method frame, header frame and the first body-frame prefix, then
     * a retained slice of {@code body}, then the frame end plus the next prefix, and so on.
     * {@code rawProperties} and {@code body} are not consumed: readers indexes and references stay.
     */
    public static void writeContent(ByteBufAllocator alloc, int channel, AmqpMethod method, ByteBuf rawProperties,
                                    ByteBuf body, int frameMax, Consumer<? super ByteBuf> sink) {
        if (frameMax != 0 && frameMax <= FrameDecoder.OVERHEAD) {
            throw new IllegalArgumentException("frame-max too small: " + frameMax);
        }
        int bodyLength = body.readableBytes();
        int chunk = frameMax == 0 ? Integer.MAX_VALUE - FrameDecoder.OVERHEAD : frameMax - FrameDecoder.OVERHEAD;
        if (bodyLength > 0 && bodyLength <= INLINE_BODY_MAX && bodyLength <= chunk) {
            sink.accept(inline(alloc, channel, method, rawProperties, body, bodyLength));
            return;
        }
        ByteBuf pending = alloc.ioBuffer(128 + rawProperties.readableBytes());
        try {
            writeMethod(pending, channel, method);
            writeHeader(pending, channel, method.classId(), bodyLength, rawProperties);
        } catch (RuntimeException e) {
            pending.release();
            throw e;
        }
        for (int offset = 0; offset < bodyLength; ) {
            int n = Math.min(chunk, bodyLength - offset);
            pending.writeByte(ProtocolConstants.FRAME_BODY).writeShort(channel).writeInt(n);
            sink.accept(pending);
            sink.accept(body.retainedSlice(body.readerIndex() + offset, n));
            offset += n;
            if (offset < bodyLength) {
                pending = alloc.ioBuffer(FrameDecoder.OVERHEAD).writeByte(FRAME_END);
            } else {
                pending = null;
                sink.accept(FRAME_END_BUFFER.duplicate());
            }
        }
        if (pending != null) { // empty body: no body frame at all, as RabbitMQ sends it
            sink.accept(pending);
        }
    }

    /** A small content's frames in one buffer: copying a few KiB costs less than writing three buffers. */
    private static ByteBuf inline(ByteBufAllocator alloc, int channel, AmqpMethod method, ByteBuf rawProperties,
                                  ByteBuf body, int bodyLength) {
        ByteBuf out = alloc.ioBuffer(128 + rawProperties.readableBytes() + bodyLength);
        try {
            writeMethod(out, channel, method);
            writeHeader(out, channel, method.classId(), bodyLength, rawProperties);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        out.writeByte(ProtocolConstants.FRAME_BODY).writeShort(channel).writeInt(bodyLength);
        out.writeBytes(body, body.readerIndex(), bodyLength);
        out.writeByte(FRAME_END);
        return out;
    }

    /** {@link #writeContent} gathered into one composite buffer: a single write, still no body copy. */
    public static CompositeByteBuf encodeContent(ByteBufAllocator alloc, int channel, AmqpMethod method,
                                                 ByteBuf rawProperties, ByteBuf body, int frameMax) {
        CompositeByteBuf out = alloc.compositeDirectBuffer(Integer.MAX_VALUE);
        try {
            writeContent(alloc, channel, method, rawProperties, body, frameMax, buf -> out.addComponent(true, buf));
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
