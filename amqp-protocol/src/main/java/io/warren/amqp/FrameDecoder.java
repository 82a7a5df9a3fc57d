package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.warren.amqp.generated.Methods;
import io.warren.amqp.generated.ProtocolConstants;

import java.util.List;

/**
 * Splits the inbound byte stream (after the protocol header) into {@link Frame}s: type octet,
 * channel short, size long, payload, frame-end octet 0xCE. Methods are decoded here; header and
 * body frames keep retained slices of the read buffer, never copies.
 *
 * <p>Errors are passed on with {@code fireExceptionCaught} as {@link AmqpProtocolException}s,
 * not wrapped in Netty's DecoderException. When the frame was well delimited (bad method
 * arguments, heartbeat on a channel) decoding goes on, so the connection can still read the
 * client's close-ok; when the framing itself is broken (bad frame-end, too large, unknown type)
 * everything after it is discarded. Confined to the connection's event loop.
 */
public class FrameDecoder extends ByteToMessageDecoder {

    /** Type, channel and size in front of the payload. */
    private static final int PREFIX = 7;
    /** Prefix plus the frame-end octet: what frame-max counts on top of the payload. */
    public static final int OVERHEAD = PREFIX + 1;
    /** Class id, weight and body size in front of the properties of a content header. */
    private static final int HEADER_FIXED = 12;

    private int frameMax;
    private boolean broken;

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
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        try {
            Frame frame = decodeFrame(in);
            if (frame != null) {
                out.add(frame);
            }
        } catch (AmqpProtocolException e) {
            if (in.readerIndex() == start) { // failed before the frame was delimited: stream out of step
                broken = true;
                in.skipBytes(in.readableBytes());
            }
            ctx.fireExceptionCaught(e);
        }
    }

    private Frame decodeFrame(ByteBuf in) {
        if (in.readableBytes() < PREFIX) {
            return null;
        }
        int start = in.readerIndex();
        int type = in.getUnsignedByte(start);
        if (type != ProtocolConstants.FRAME_METHOD && type != ProtocolConstants.FRAME_HEADER
                && type != ProtocolConstants.FRAME_BODY && type != ProtocolConstants.FRAME_HEARTBEAT) {
            throw new FrameException("unknown frame type " + type);
        }
        int channel = in.getUnsignedShort(start + 1);
        long size = in.getUnsignedInt(start + 3);
        long limit = frameMax == 0 ? Integer.MAX_VALUE : frameMax;
        if (size + OVERHEAD > limit) {
            throw new FrameException("frame size " + (size + OVERHEAD) + " exceeds frame-max " + limit);
        }
        int length = (int) size;
        if (in.readableBytes() < length + OVERHEAD) {
            return null;
        }
        int end = in.getUnsignedByte(start + PREFIX + length);
        if (end != ProtocolConstants.FRAME_END) {
            throw new FrameException("frame end octet was 0x" + Integer.toHexString(end) + ", expected 0xce");
        }
        // The frame is delimited: consume it first so that an error in its payload leaves us in step.
        in.readerIndex(start + length + OVERHEAD);
        int payload = start + PREFIX;
        switch (type) {
            case ProtocolConstants.FRAME_METHOD:
                return new MethodFrame(channel, Methods.decode(in.slice(payload, length)));
            case ProtocolConstants.FRAME_HEADER:
                return header(in, channel, payload, length);
            case ProtocolConstants.FRAME_BODY:
                return new BodyFrame(channel, in.retainedSlice(payload, length));
            default:
                if (channel != 0) { // RabbitMQ: 505, and the stream is still in step
                    throw new ConnectionException(io.warren.amqp.generated.ReplyCode.UNEXPECTED_FRAME,
                            "heartbeat frame on channel " + channel);
                }
                if (length != 0) { // RabbitMQ only knows the empty heartbeat: anything else is an unknown frame
                    throw new FrameException("heartbeat frame with a payload of " + length + " bytes");
                }
                return HeartbeatFrame.INSTANCE;
        }
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
}
