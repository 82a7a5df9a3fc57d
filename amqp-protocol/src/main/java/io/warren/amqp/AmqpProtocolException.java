package io.warren.amqp;

import io.warren.amqp.generated.ReplyCode;

import java.nio.charset.StandardCharsets;

/**
 * A protocol error the broker answers with channel.close or connection.close. The level is a
 * property of where the error happened, not of the code alone: RabbitMQ closes the connection with
 * the "soft" 403 when a vhost is refused, so use {@link ConnectionException} or
 * {@link ChannelException} explicitly, or {@link #of} to take the level the spec gives the code.
 * The message is the reply text without the "NOT_FOUND - " prefix ({@link #replyText()} adds it).
 * Immutable once thrown: safe on any thread.
 */
public abstract class AmqpProtocolException extends RuntimeException {

    private final ReplyCode code;
    private final int classId;
    private final int methodId;

    protected AmqpProtocolException(ReplyCode code, String text, int classId, int methodId, Throwable cause) {
        super(text, cause);
        this.code = code;
        this.classId = classId;
        this.methodId = methodId;
    }

    /** A connection exception for hard codes, a channel exception otherwise. */
    public static AmqpProtocolException of(ReplyCode code, String text, int classId, int methodId) {
        return code.hardError()
                ? new ConnectionException(code, text, classId, methodId)
                : new ChannelException(code, text, classId, methodId);
    }

    /** True: close the connection (hard error); false: close only the channel (soft error). */
    public abstract boolean connectionLevel();

    public ReplyCode code() {
        return code;
    }

    public int replyCode() {
        return code.code();
    }

    /** Class of the method that failed, 0 when the error is not tied to a method. */
    public int classId() {
        return classId;
    }

    /** Method that failed, 0 when the error is not tied to a method. */
    public int methodId() {
        return methodId;
    }

    /** RabbitMQ-style reply text, "NOT_FOUND - no queue 'q' in vhost '/'", cut to fit a shortstr. */
    public String replyText() {
        String text = code.name() + " - " + getMessage();
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= WireFormat.SHORTSTR_MAX) {
            return text;
        }
        int end = WireFormat.SHORTSTR_MAX;
        while ((utf8[end] & 0xC0) == 0x80) { // do not split a UTF-8 sequence
            end--;
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8);
    }
}
