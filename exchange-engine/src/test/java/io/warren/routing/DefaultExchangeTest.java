package io.warren.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DefaultExchangeTest {

    private final Fixture f = new Fixture();

    @Test
    void routesToTheQueueNamedByTheKey() {
        f.queues("orders");

        assertThat(f.route("", "orders")).containsExactly("orders");
        assertThat(f.route("", "missing")).isEmpty();
        assertThat(f.route("", "")).isEmpty();
    }

    @Test
    void seesQueuesAsSoonAsTheyExist() {
        assertThat(f.route("", "late")).isEmpty();
        f.queues("late");
        assertThat(f.route("", "late")).containsExactly("late");
    }

    @Test
    void existsAsADurableDirectExchange() {
        Exchange exchange = f.vhost.requireExchange("");

        assertThat(exchange.type()).isEqualTo(ExchangeType.DIRECT);
        assertThat(exchange.durable()).isTrue();
    }

    @Test
    void cannotBeBoundToOrFrom() {
        f.queues("q");
        f.declare("x", ExchangeType.DIRECT);

        assertRefused(() -> f.vhost.bind(new Binding("", Destination.queue("q"), "q")));
        assertRefused(() -> f.vhost.unbind(new Binding("", Destination.queue("q"), "q")));
        assertRefused(() -> f.vhost.bind(new Binding("x", Destination.exchange(""), "k")));
        assertRefused(() -> f.vhost.unbind(new Binding("x", Destination.exchange(""), "k")));
    }

    @Test
    void cannotBeDeclaredOrDeleted() {
        assertRefused(() -> f.vhost.declareExchange(Exchange.durable("", ExchangeType.DIRECT)));
        assertRefused(() -> f.vhost.deleteExchange("", false));
    }

    private static void assertRefused(Runnable action) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(RoutingException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RoutingException.Reason.ACCESS_REFUSED);
                    assertThat(e.text()).isEqualTo("operation not permitted on the default exchange");
                });
    }
}
