package io.warren.amqp;

import io.warren.amqp.generated.ReplyCode;

/**
 * 501 FRAME_ERROR: the frame itself is broken (bad frame-end octet, too large, unknown type), so the
 * byte stream can no longer be trusted; or, as in RabbitMQ, a well-delimited method frame whose
 * arguments cannot be decoded ("cannot decode", with the method's ids). Any thread.
 */
public class FrameException extends ConnectionException {

    public FrameException(String text) {
        super(ReplyCode.FRAME_ERROR, text);
    }

    public FrameException(String text, int classId, int methodId, Throwable cause) {
        super(ReplyCode.FRAME_ERROR, text, classId, methodId, cause);
    }
}
