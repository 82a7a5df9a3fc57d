package io.warren.amqp;

import io.warren.amqp.generated.ReplyCode;

/** 540 NOT_IMPLEMENTED: a method frame whose class/method id pair we do not know. Any thread. */
public class UnknownMethodException extends ConnectionException {

    public UnknownMethodException(int classId, int methodId) {
        super(ReplyCode.NOT_IMPLEMENTED, "unknown method " + classId + "/" + methodId, classId, methodId);
    }
}
