package io.warren.routing;

import java.util.Objects;

/**
 * A refused definition change or publish, carrying the AMQP soft-error kind and RabbitMQ's reply text
 * (without the "NOT_FOUND - " prefix, which the server adds). Immutable; any thread.
 */
public final class RoutingException extends RuntimeException {

    /** The AMQP reply code names this module can produce; the server maps them to 404/406/403/503. */
    public enum Reason { NOT_FOUND, PRECONDITION_FAILED, ACCESS_REFUSED, COMMAND_INVALID }

    private final Reason reason;

    public RoutingException(Reason reason, String text) {
        super(Objects.requireNonNull(text, "text"), null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** The reply text, e.g. "no exchange 'x' in vhost '/'". */
    public String text() {
        return getMessage();
    }

    static RoutingException noExchange(String exchange, String vhost) {
        return new RoutingException(Reason.NOT_FOUND, "no exchange '" + exchange + "' in vhost '" + vhost + "'");
    }

    static RoutingException noQueue(String queue, String vhost) {
        return new RoutingException(Reason.NOT_FOUND, "no queue '" + queue + "' in vhost '" + vhost + "'");
    }

    static RoutingException defaultExchange() {
        return new RoutingException(Reason.ACCESS_REFUSED, "operation not permitted on the default exchange");
    }

    /** RabbitMQ's rabbit_misc:rs/1 form of an exchange name: "exchange 'x' in vhost '/'". */
    static String describe(String exchange, String vhost) {
        return "exchange '" + exchange + "' in vhost '" + vhost + "'";
    }
}
