package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The 8 bytes a client sends first: "AMQP" 0 0 9 1. On anything else the spec wants the server to
 * answer with its own header and close the socket. Stateless: safe on any thread.
 */
public final class ProtocolHeader {

    public static final int LENGTH = 8;

    private static final byte[] BYTES = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

    /** What {@link #check} found. */
    public enum Check {
        /** Fewer than 8 bytes so far, all matching: wait for more. */
        INCOMPLETE,
        /** The 0-9-1 header; it has been consumed. */
        ACCEPTED,
        /** Another protocol or version (or not AMQP at all): nothing was consumed. */
        REJECTED
    }

    private ProtocolHeader() {
    }

    public static byte[] bytes() {
        return BYTES.clone();
    }

    public static void writeTo(ByteBuf out) {
        out.writeBytes(BYTES);
    }

    /** A fresh buffer holding the header, e.g. to answer a client that sent another version. */
    public static ByteBuf encode() {
        return Unpooled.wrappedBuffer(BYTES.clone());
    }

    /** Rejects as early as the first wrong byte, so a non-AMQP peer does not wait for 8 bytes. */
    public static Check check(ByteBuf in) {
        int available = Math.min(in.readableBytes(), LENGTH);
        int start = in.readerIndex();
        for (int i = 0; i < available; i++) {
            if (in.getByte(start + i) != BYTES[i]) {
                return Check.REJECTED;
            }
        }
        if (available < LENGTH) {
            return Check.INCOMPLETE;
        }
        in.skipBytes(LENGTH);
        return Check.ACCEPTED;
    }
}
