package io.warren.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExchangeToExchangeTest {

    private final Fixture f = new Fixture();

    @Test
    void followsExchangeDestinationsWithTheSameKey() {
        f.declare("front", ExchangeType.TOPIC);
        f.declare("back", ExchangeType.DIRECT);
        f.bindExchange("front", "back", "orders.#");
        f.bindQueue("back", "eu", "orders.eu");
        f.bindQueue("back", "us", "orders.us");

        assertThat(f.route("front", "orders.eu")).containsExactly("eu");
        assertThat(f.route("front", "payments.eu")).isEmpty();
    }

    @Test
    void deduplicatesQueuesReachedSeveralWays() {
        f.declare("a", ExchangeType.FANOUT);
        f.declare("b", ExchangeType.FANOUT);
        f.declare("c", ExchangeType.FANOUT);
        f.bindExchange("a", "b", "");
        f.bindExchange("a", "c", "");
        f.bindQueue("a", "q", "");
        f.bindQueue("b", "q", "");
        f.bindQueue("c", "q", "");
        f.bindQueue("c", "only-c", "");

        assertThat(f.route("a", "k")).containsExactlyInAnyOrder("q", "only-c");
    }

    @Test
    void cyclesEnd() {
        f.declare("a", ExchangeType.FANOUT);
        f.declare("b", ExchangeType.FANOUT);
        f.bindExchange("a", "b", "");
        f.bindExchange("b", "a", "");
        f.bindExchange("a", "a", "");
        f.bindQueue("b", "q", "");

        assertThat(f.route("a", "k")).containsExactly("q");
        assertThat(f.route("b", "k")).containsExactly("q");
    }

    @Test
    void routesThroughInternalExchanges() {
        f.vhost.declareExchange(new Exchange("hidden", ExchangeType.FANOUT, false, false, true, Map.of()));
        f.declare("front", ExchangeType.FANOUT);
        f.bindExchange("front", "hidden", "");
        f.bindQueue("hidden", "q", "");

        assertThat(f.vhost.requireExchange("hidden").internal()).isTrue();
        assertThat(f.route("front", "k")).containsExactly("q");
    }

    @Test
    void headersExchangeAsAHop() {
        f.declare("front", ExchangeType.DIRECT);
        f.declare("h", ExchangeType.HEADERS);
        f.bindExchange("front", "h", "k");
        f.bindQueue("h", "q", Map.of("a", 1));

        assertThat(f.route("front", "k", Map.of("a", 1))).containsExactly("q");
        assertThat(f.route("front", "k", Map.of("a", 2))).isEmpty();
    }
}
