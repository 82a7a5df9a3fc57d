package io.warren.store;

import java.util.Objects;

/**
 * Why a queue refused an operation; the server maps the reason to the AMQP reply code and prefixes the
 * code name ("PRECONDITION_FAILED - "). Immutable, any thread.
 */
public final class QueueException extends RuntimeException {

    /** The AMQP soft errors a queue can cause. */
    public enum Reason { PRECONDITION_FAILED, NOT_FOUND, RESOURCE_LOCKED, ACCESS_REFUSED }

    private final Reason reason;

    public QueueException(Reason reason, String text) {
        // No stack trace: these become protocol replies, and are thrown as often as clients ask.
        super(Objects.requireNonNull(text, "text"), null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** RabbitMQ's resource name, e.g. {@code queue 'q' in vhost '/'}. */
    public static String describe(String vhost, String queue) {
        return "queue '" + queue + "' in vhost '" + vhost + "'";
    }

    public static QueueException notFound(String vhost, String queue) {
        return new QueueException(Reason.NOT_FOUND, "no " + describe(vhost, queue));
    }

    public static QueueException inUse(String vhost, String queue) {
        return new QueueException(Reason.PRECONDITION_FAILED, describe(vhost, queue) + " in use");
    }

    public static QueueException notEmpty(String vhost, String queue) {
        return new QueueException(Reason.PRECONDITION_FAILED, describe(vhost, queue) + " not empty");
    }

    /** basic.consume that cannot share the queue with an exclusive consumer (or vice versa). */
    public static QueueException exclusiveUse(String vhost, String queue) {
        return new QueueException(Reason.ACCESS_REFUSED, describe(vhost, queue) + " in exclusive use");
    }

    /** An exclusive queue used from a connection other than its owner (checked by the server). */
    public static QueueException locked(String vhost, String queue) {
        return new QueueException(Reason.RESOURCE_LOCKED, "cannot obtain exclusive access to locked "
                + describe(vhost, queue) + ". It could be originally declared on another connection or the"
                + " exclusive property value does not match that of the original declaration.");
    }
}
