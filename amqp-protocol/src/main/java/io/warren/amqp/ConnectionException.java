package io.warren.amqp;

import io.warren.amqp.generated.ReplyCode;

/** A connection-level (hard) error: the broker answers with connection.close. Any thread. */
public class ConnectionException extends AmqpProtocolException {

    public ConnectionException(ReplyCode code, String text) {
        this(code, text, 0, 0);
    }

    public ConnectionException(ReplyCode code, String text, int classId, int methodId) {
        super(code, text, classId, methodId, null);
    }

    protected ConnectionException(ReplyCode code, String text, int classId, int methodId, Throwable cause) {
        super(code, text, classId, methodId, cause);
    }

    @Override
    public final boolean connectionLevel() {
        return true;
    }
}
