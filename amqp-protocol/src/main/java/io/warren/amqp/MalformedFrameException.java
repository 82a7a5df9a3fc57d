package io.warren.amqp;

import io.warren.amqp.generated.ReplyCode;

/**
 * 502 SYNTAX_ERROR: a well-framed method or content header whose fields cannot be decoded
 * (truncated, trailing bytes, bad field-table type, out-of-range value). Any thread.
 */
public class MalformedFrameException extends ConnectionException {

    public MalformedFrameException(String text) {
        this(text, 0, 0, null);
    }

    public MalformedFrameException(String text, int classId, int methodId, Throwable cause) {
        super(ReplyCode.SYNTAX_ERROR, text, classId, methodId, cause);
    }
}
