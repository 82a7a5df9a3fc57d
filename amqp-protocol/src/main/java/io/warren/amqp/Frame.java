package io.warren.amqp;

/**
 * One decoded AMQP frame. {@link HeaderFrame} and {@link BodyFrame} hold a retained slice of the
 * read buffer and are Netty {@code ReferenceCounted}: whoever ends up with one releases it
 * ({@code ReferenceCountUtil.release(frame)} works for every frame). Immutable apart from those
 * reference counts: safe to hand between threads.
 */
public sealed interface Frame permits MethodFrame, HeaderFrame, BodyFrame, HeartbeatFrame {

    int channel();

    static void checkChannel(int channel) {
        if (channel < 0 || channel > 0xFFFF) {
            throw new IllegalArgumentException("channel out of range: " + channel);
        }
    }
}
