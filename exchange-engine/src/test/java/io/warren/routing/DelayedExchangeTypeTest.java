package io.warren.routing;

import static io.warren.routing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DelayedExchangeTypeTest {

    private static final String INVALID = "Invalid argument, 'x-delayed-type' must be an existing exchange type";
    private final Fixture f = new Fixture();

    @Test
    void routesAsItsDelayedType() {
        f.declare("d", ExchangeType.X_DELAYED_MESSAGE, Map.of("x-delayed-type", "direct"));
        f.declare("t", ExchangeType.X_DELAYED_MESSAGE, Map.of("x-delayed-type", "topic"));
        f.bindQueue("d", "q1", "k");
        f.bindQueue("t", "q2", "a.*");

        assertThat(f.route("d", "k")).containsExactly("q1");
        assertThat(f.route("d", "other")).isEmpty();
        assertThat(f.route("t", "a.b")).containsExactly("q2");
        assertThat(f.route("t", "b.a")).isEmpty();
        assertThat(f.vhost.requireExchange("t").routingType()).isEqualTo(ExchangeType.TOPIC);
    }

    @Test
    void headersBindingsAreCheckedAsTheDelayedTypeChecksThem() {
        f.declare("h", ExchangeType.X_DELAYED_MESSAGE, Map.of("x-delayed-type", "headers"));
        f.queues("q");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> f.vhost.bind(new Binding("h", Destination.queue("q"), "", Map.of("x-match", 5))))
                .isInstanceOf(RoutingException.class).hasMessageContaining("x-match");
    }

    @Test
    void aMissingOrBadDelayedTypeIsRefused() {
        assertRefused(() -> f.declare("x", ExchangeType.X_DELAYED_MESSAGE),
                RoutingException.Reason.PRECONDITION_FAILED, INVALID);
        assertRefused(() -> f.declare("x", ExchangeType.X_DELAYED_MESSAGE, Map.of("x-delayed-type", 5)),
                RoutingException.Reason.PRECONDITION_FAILED, INVALID);
        assertRefused(() -> f.declare("x", ExchangeType.X_DELAYED_MESSAGE,
                Map.of("x-delayed-type", "x-delayed-message")), RoutingException.Reason.PRECONDITION_FAILED, INVALID);
        assertRefused(() -> f.declare("x", ExchangeType.X_DELAYED_MESSAGE, Map.of("x-delayed-type", "nope")),
                RoutingException.Reason.PRECONDITION_FAILED, "unknown exchange type 'nope'");
        assertThat(f.vhost.exchange("x")).isEmpty();
    }

    @Test
    void aRedeclareComparesTheTypeButNotTheDelayedType() {
        f.declare("d", ExchangeType.X_DELAYED_MESSAGE, Map.of("x-delayed-type", "direct"));
        // the plugin delegates argument equivalence to the delayed type, which compares alternate-exchange only
        Exchange again = f.declare("d", ExchangeType.X_DELAYED_MESSAGE, Map.of("x-delayed-type", "fanout"));
        assertThat(again.arguments()).containsEntry("x-delayed-type", "direct");
        assertRefused(() -> f.declare("d", ExchangeType.DIRECT), RoutingException.Reason.PRECONDITION_FAILED,
                "inequivalent arg 'type' for exchange 'd' in vhost '/': received 'direct' but current is "
                        + "'x-delayed-message'");
    }
}
