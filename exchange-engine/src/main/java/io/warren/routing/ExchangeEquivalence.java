package io.warren.routing;

import java.util.Map;

/**
 * RabbitMQ's rabbit_exchange:assert_equivalence: a redeclare must match type, durable, auto_delete and
 * internal, and the only argument compared is "alternate-exchange" (others may differ, as in RabbitMQ).
 * Failures are PRECONDITION_FAILED with RabbitMQ's exact text. Stateless; any thread.
 */
final class ExchangeEquivalence {

    private ExchangeEquivalence() {
    }

    static void check(Exchange current, Exchange requested, String vhost) {
        if (current.type() != requested.type()) {
            fail("type", "'" + requested.type().wireName() + "'", "'" + current.type().wireName() + "'", current, vhost);
        }
        field("durable", current.durable(), requested.durable(), current, vhost);
        field("auto_delete", current.autoDelete(), requested.autoDelete(), current, vhost);
        field("internal", current.internal(), requested.internal(), current, vhost);
        argument(Exchange.ALTERNATE_EXCHANGE, current, requested, vhost);
    }

    private static void field(String key, boolean current, boolean requested, Exchange exchange, String vhost) {
        if (current != requested) fail(key, "'" + requested + "'", "'" + current + "'", exchange, vhost);
    }

    private static void argument(String key, Exchange current, Exchange requested, String vhost) {
        Map<String, Object> have = current.arguments();
        Map<String, Object> want = requested.arguments();
        boolean hasCurrent = have.containsKey(key);
        boolean hasRequested = want.containsKey(key);
        if (!hasCurrent && !hasRequested) return;
        if (hasCurrent && hasRequested && FieldValues.sameTypeClassAndValue(have.get(key), want.get(key))) return;
        fail(key, FieldValues.describeArgument(want.get(key), hasRequested),
                FieldValues.describeArgument(have.get(key), hasCurrent), current, vhost);
    }

    private static void fail(String key, String received, String current, Exchange exchange, String vhost) {
        throw new RoutingException(RoutingException.Reason.PRECONDITION_FAILED,
                "inequivalent arg '" + key + "' for " + RoutingException.describe(exchange.name(), vhost)
                        + ": received " + received + " but current is " + current);
    }
}
