package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Test helper: raw frame bytes, built by hand so the decoder is not tested against itself. */
final class Frames {

    private Frames() {
    }

    static ByteBuf frame(int type, int channel, ByteBuf payload) {
        return frame(type, channel, payload, 0xCE);
    }

    static ByteBuf frame(int type, int channel, ByteBuf payload, int end) {
        ByteBuf out = Unpooled.buffer();
        out.writeByte(type).writeShort(channel).writeInt(payload.readableBytes()).writeBytes(payload).writeByte(end);
        payload.release();
        return out;
    }

    static ByteBuf method(int channel, AmqpMethod method) {
        ByteBuf payload = Unpooled.buffer().writeShort(method.classId()).writeShort(method.methodId());
        method.encodeArguments(payload);
        return frame(1, channel, payload);
    }

    static ByteBuf header(int channel, long bodySize, BasicProperties properties) {
        ByteBuf payload = Unpooled.buffer().writeShort(60).writeShort(0).writeLong(bodySize);
        properties.encode(payload);
        return frame(2, channel, payload);
    }

    static ByteBuf body(int channel, byte[] bytes) {
        return frame(3, channel, Unpooled.wrappedBuffer(bytes));
    }

    static ByteBuf heartbeat(int channel) {
        return frame(8, channel, Unpooled.EMPTY_BUFFER);
    }
}
