package io.warren.amqp;

/** A heartbeat frame (always on channel 0 once decoded). Immutable: safe on any thread. */
public record HeartbeatFrame(int channel) implements Frame {

    public static final HeartbeatFrame INSTANCE = new HeartbeatFrame(0);

    public HeartbeatFrame {
        Frame.checkChannel(channel);
    }
}
