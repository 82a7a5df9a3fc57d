package io.warren.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AlternateExchangeTest {

    private final Fixture f = new Fixture();

    @Test
    void unroutableMessagesGoToTheAlternateExchange() {
        f.declare("ae", ExchangeType.FANOUT);
        f.bindQueue("ae", "unrouted", "");
        f.declare("x", ExchangeType.DIRECT, Map.of("alternate-exchange", "ae"));
        f.bindQueue("x", "q", "k");

        assertThat(f.route("x", "k")).containsExactly("q");
        assertThat(f.route("x", "other")).containsExactly("unrouted");
        assertThat(f.vhost.requireExchange("x").alternateExchange()).contains("ae");
    }

    @Test
    void alternateExchangesChainAndLoopsEnd() {
        f.declare("x", ExchangeType.DIRECT, Map.of("alternate-exchange", "ae1"));
        f.declare("ae1", ExchangeType.DIRECT, Map.of("alternate-exchange", "ae2"));
        f.declare("ae2", ExchangeType.DIRECT, Map.of("alternate-exchange", "x"));
        f.bindQueue("ae2", "last", "k2");

        assertThat(f.route("x", "k2")).containsExactly("last");
        assertThat(f.route("x", "nothing")).isEmpty();
    }

    @Test
    void missingAlternateExchangeLeavesTheMessageUnroutable() {
        f.declare("x", ExchangeType.DIRECT, Map.of("alternate-exchange", "gone"));

        assertThat(f.route("x", "k")).isEmpty();
    }

    @Test
    void notUsedWhenTheExchangeMatchedAnExchangeThatRoutesNowhere() {
        // RabbitMQ consults the AE only when the exchange itself matched no destination at all.
        f.declare("ae", ExchangeType.FANOUT);
        f.bindQueue("ae", "unrouted", "");
        f.declare("x", ExchangeType.FANOUT, Map.of("alternate-exchange", "ae"));
        f.declare("empty", ExchangeType.DIRECT);
        f.bindExchange("x", "empty", "");

        assertThat(f.route("x", "k")).isEmpty();
    }

    @Test
    void anExchangeReachedByABindingUsesItsOwnAlternateExchange() {
        f.declare("ae", ExchangeType.FANOUT);
        f.bindQueue("ae", "unrouted", "");
        f.declare("inner", ExchangeType.DIRECT, Map.of("alternate-exchange", "ae"));
        f.declare("front", ExchangeType.FANOUT);
        f.bindExchange("front", "inner", "");

        assertThat(f.route("front", "k")).containsExactly("unrouted");
    }

    @Test
    void theDefaultExchangeCanBeAnAlternate() {
        f.queues("k");
        f.declare("x", ExchangeType.DIRECT, Map.of("alternate-exchange", ""));

        assertThat(f.route("x", "k")).containsExactly("k");
    }
}
