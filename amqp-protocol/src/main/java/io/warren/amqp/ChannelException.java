package io.warren.amqp;

import io.warren.amqp.generated.ReplyCode;

/** A channel-level (soft) error: the broker answers with channel.close. Any thread. */
public class ChannelException extends AmqpProtocolException {

    public ChannelException(ReplyCode code, String text) {
        this(code, text, 0, 0);
    }

    public ChannelException(ReplyCode code, String text, int classId, int methodId) {
        super(code, text, classId, methodId, null);
    }

    @Override
    public final boolean connectionLevel() {
        return false;
    }
}
