package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.warren.amqp.generated.Methods;
import io.warren.amqp.generated.ProtocolConstants;
import io.warren.amqp.generated.ReplyCode;

/**
 * Splits the inbound byte stream (after the protocol header) into {@link Frame}s: type octet,
 * channel short, size long, payload, frame-end octet 0xCE. Methods are decoded here; header and
 * body frames keep retained slices of the read buffers, never copies.
 *
 * <p>Not a ByteToMessageDecoder on purpose: its cumulation copies every read that follows a
 * partial frame into the previous buffer (or into a new one once a slice of it is retained), so
 * a large body arriving in 64 KiB reads was copied once or twice on its way in. Here a body frame
 * of {@value #STREAM_MIN} bytes or more that is cut by the end of a read is taken as it comes: a
 * retained slice of each read buffer, gathered into a composite when the frame spans several
 * reads. Only a small frame (method, content header, short body) cut by a read boundary is
 * copied, that frame alone, into a buffer of its own.
 *
 * <p>Errors are passed on with {@code fireExceptionCaught} as {@link AmqpProtocolException}s.
 * When the frame was well delimited (bad method arguments, heartbeat on a channel) decoding goes
 * on, so the connection can still read the client's close-ok; when the framing itself is broken
 * (bad frame-end, too large, unknown type) everything after it is discarded. Confined to the
 * connection's event loop.
 */
public class FrameDecoder extends ChannelInboundHandlerAdapter {

    /** Type, channel and size in front of the payload. */
    private static final int PREFIX = 7;
    /** Prefix plus the frame-end octet: what frame-max counts on top of the payload. */
    public static final int OVERHEAD = PREFIX + 1;
    /** Class id, weight and body size in front of the properties of a content header. */
    private static final int HEADER_FIXED = 12;
    /**
     * Body frames from this size on are sliced out of the reads they span; smaller ones cut by a read are copied,
     * which costs less than a composite of two slices.
     */
    static final int STREAM_MIN = 8192;

    private int frameMax;
    private boolean broken;
    /** Set once the frame being decoded is consumed: an error after that leaves the stream in step. */
    private boolean delimited;

    /** The copied start of a small frame cut by the end of a read (its prefix only, until that is complete). */
    private ByteBuf partial;
    /** A body frame taken slice by slice: its channel, the payload bytes still to come, what came so far. */
    private boolean streaming;
    private int streamChannel;
    private int streamLeft;
    private ByteBuf streamPayload;
    private CompositeByteBuf streamParts;

    /** @param frameMax largest frame including its 8 bytes of overhead; 0 means no limit */
    public FrameDecoder(int frameMax) {
        setFrameMax(frameMax);
    }

    /** Applies the frame-max negotiated in connection.tune-ok. */
    public void setFrameMax(int frameMax) {
        if (frameMax != 0 && frameMax < OVERHEAD) {
            throw new IllegalArgumentException("frame-max too small: " + frameMax);
        }
        this.frameMax = frameMax;
    }

    public int frameMax() {
        return frameMax;
    }

    /** True once the framing was broken: everything read since is discarded, a close-ok can never be read. */
    public boolean broken() {
        return broken;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            while (in.isReadable() && !broken && !ctx.isRemoved()) {
                delimited = false;
                try {
                    step(ctx, in);
                } catch (AmqpProtocolException e) {
                    if (!delimited) { // failed before the frame was delimited: the stream is out of step
                        broken = true;
                        discardState();
                    }
                    ctx.fireExceptionCaught(e);
                }
            }
        } finally {
            in.release(); // what was kept of it is held by retained slices
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discardState();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discardState();
    }

    /** Consumes some of {@code in}: part of a streamed body, the rest of a cut frame, or whole frames. */
    private void step(ChannelHandlerContext ctx, ByteBuf in) {
        if (streaming) {
            stream(ctx, in);
            return;
        }
        if (partial != null) {
            completePartial(ctx, in);
            return;
        }
        int readable = in.readableBytes();
        if (readable < PREFIX) {
            keep(ctx, in, PREFIX);
            return;
        }
        int start = in.readerIndex();
        int length = checkPrefix(in, start);
        if (readable >= length + OVERHEAD) {
            decodeFrame(ctx, in);
        } else if (in.getUnsignedByte(start) == ProtocolConstants.FRAME_BODY && length >= STREAM_MIN) {
            startStream(in.getUnsignedShort(start + 1), length);
            in.skipBytes(PREFIX);
        } else {
            keep(ctx, in, length + OVERHEAD);
        }
    }

    /**
     * Copies the rest of {@code in}, the start of a frame of {@code frameBytes} (prefix included), aside. The buffer
     * grows as the frame's bytes come: a peer announcing large frames it never sends does not get them allocated.
     */
    private void keep(ChannelHandlerContext ctx, ByteBuf in, int frameBytes) {
        partial = ctx.alloc().buffer(Math.min(frameBytes, Math.max(in.readableBytes(), 256)));
        partial.writeBytes(in);
    }

    private void completePartial(ChannelHandlerContext ctx, ByteBuf in) {
        if (partial.readableBytes() < PREFIX) {
            partial.writeBytes(in, Math.min(PREFIX - partial.readableBytes(), in.readableBytes()));
            if (partial.readableBytes() < PREFIX) {
                return;
            }
            int start = partial.readerIndex();
            int length = checkPrefix(partial, start);
            if (partial.getUnsignedByte(start) == ProtocolConstants.FRAME_BODY && length >= STREAM_MIN) {
                startStream(partial.getUnsignedShort(start + 1), length);
                partial.release();
                partial = null;
                return;
            }
        }
        int total = partial.getInt(partial.readerIndex() + 3) + OVERHEAD;
        partial.writeBytes(in, Math.min(total - partial.readableBytes(), in.readableBytes()));
        if (partial.readableBytes() < total) {
            return;
        }
        ByteBuf frame = partial;
        partial = null;
        try {
            decodeFrame(ctx, frame);
        } finally {
            frame.release(); // header and body frames hold slices of it
        }
    }

    private void startStream(int channel, int length) {
        streaming = true;
        streamChannel = channel;
        streamLeft = length;
    }

    /** Takes the next slice of a streamed body frame, or its frame-end octet. */
    private void stream(ChannelHandlerContext ctx, ByteBuf in) {
        if (streamLeft > 0) {
            int n = Math.min(streamLeft, in.readableBytes());
            ByteBuf slice = in.readRetainedSlice(n);
            streamLeft -= n;
            if (streamLeft > 0) {
                expecting(ctx, streamLeft + 1);
            }
            if (streamPayload == null) {
                streamPayload = slice;
            } else {
                if (streamParts == null) {
                    // No component limit: the default of 16 would consolidate, i.e. copy, big frames.
                    streamParts = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                    streamParts.addComponent(true, streamPayload);
                    streamPayload = streamParts;
                }
                streamParts.addComponent(true, slice);
            }
            return;
        }
        int end = in.readUnsignedByte();
        if (end != ProtocolConstants.FRAME_END) {
            throw badEnd(end);
        }
        delimited = true;
        ByteBuf payload = streamPayload;
        streamPayload = null;
        streamParts = null;
        streaming = false;
        expecting(ctx, 0);
        ctx.fireChannelRead(new BodyFrame(streamChannel, payload));
    }

    /**
     * Called while a large body frame is taken in slice by slice, with the bytes the peer is still bound to send for it
     * (its frame-end octet included), and with 0 once it is complete. Does nothing here.
     */
    protected void expecting(ChannelHandlerContext ctx, int bytes) {
    }

    /** Checks the prefix at {@code start} (all 7 bytes readable); returns the payload length. */
    private int checkPrefix(ByteBuf in, int start) {
        int type = in.getUnsignedByte(start);
        if (type != ProtocolConstants.FRAME_METHOD && type != ProtocolConstants.FRAME_HEADER
                && type != ProtocolConstants.FRAME_BODY && type != ProtocolConstants.FRAME_HEARTBEAT) {
            throw new FrameException("unknown frame type " + type);
        }
        long size = in.getUnsignedInt(start + 3);
        long limit = frameMax == 0 ? Integer.MAX_VALUE : frameMax;
        if (size + OVERHEAD > limit) {
            throw new FrameException("frame size " + (size + OVERHEAD) + " exceeds frame-max " + limit);
        }
        return (int) size;
    }

    /** Decodes the whole frame readable at {@code in}'s reader index (its prefix checked) and passes it on. */
    private void decodeFrame(ChannelHandlerContext ctx, ByteBuf in) {
        int start = in.readerIndex();
        int type = in.getUnsignedByte(start);
        int channel = in.getUnsignedShort(start + 1);
        int length = in.getInt(start + 3);
        int end = in.getUnsignedByte(start + PREFIX + length);
        if (end != ProtocolConstants.FRAME_END) {
            throw badEnd(end);
        }
        // The frame is delimited: consume it first so that an error in its payload leaves us in step.
        in.readerIndex(start + length + OVERHEAD);
        delimited = true;
        int payload = start + PREFIX;
        Frame frame = switch (type) {
            case ProtocolConstants.FRAME_METHOD -> new MethodFrame(channel, Methods.decode(in.slice(payload, length)));
            case ProtocolConstants.FRAME_HEADER -> header(in, channel, payload, length);
            case ProtocolConstants.FRAME_BODY -> new BodyFrame(channel, in.retainedSlice(payload, length));
            default -> heartbeat(channel, length);
        };
        ctx.fireChannelRead(frame);
    }

    private static HeartbeatFrame heartbeat(int channel, int length) {
        if (channel != 0) { // RabbitMQ: 505, and the stream is still in step
            throw new ConnectionException(ReplyCode.UNEXPECTED_FRAME, "heartbeat frame on channel " + channel);
        }
        if (length != 0) { // RabbitMQ only knows the empty heartbeat: anything else is an unknown frame
            throw new FrameException("heartbeat frame with a payload of " + length + " bytes");
        }
        return HeartbeatFrame.INSTANCE;
    }

    private static HeaderFrame header(ByteBuf in, int channel, int payload, int length) {
        if (length < HEADER_FIXED + 2) {
            throw new FrameException("content header frame of " + length + " bytes is too short");
        }
        int classId = in.getUnsignedShort(payload);
        long bodySize = in.getLong(payload + 4); // after the weight, which is unused
        if (bodySize < 0) {
            throw new FrameException("content body size " + Long.toUnsignedString(bodySize) + " is too large");
        }
        return new HeaderFrame(channel, classId, bodySize,
                in.retainedSlice(payload + HEADER_FIXED, length - HEADER_FIXED));
    }

    private static FrameException badEnd(int end) {
        return new FrameException("frame end octet was 0x" + Integer.toHexString(end) + ", expected 0xce");
    }

    /** Releases a cut frame and a half-streamed body (connection gone, or the framing broken). */
    private void discardState() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
        if (streamPayload != null) {
            streamPayload.release();
            streamPayload = null;
        }
        streamParts = null;
        streaming = false;
    }
}
