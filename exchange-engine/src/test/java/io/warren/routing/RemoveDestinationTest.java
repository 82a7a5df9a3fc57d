package io.warren.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RemoveDestinationTest {

    private final Fixture f = new Fixture();
    private final VirtualHost vhost = f.vhost;

    @Test
    void dropsEveryBindingToADeletedQueue() {
        f.declare("x", ExchangeType.DIRECT);
        f.declare("t", ExchangeType.TOPIC);
        f.bindQueue("x", "q", "a");
        f.bindQueue("x", "q", "b");
        f.bindQueue("t", "q", "#");
        f.bindQueue("x", "other", "a");

        f.queues.remove("q");
        Deletions deletions = vhost.removeDestination(Destination.queue("q"));

        assertThat(deletions.bindings()).hasSize(3);
        assertThat(deletions.exchanges()).isEmpty();
        assertThat(vhost.bindingsTo(Destination.queue("q"))).isEmpty();
        assertThat(f.route("x", "a")).containsExactly("other");
        assertThat(f.route("t", "a")).isEmpty();
    }

    @Test
    void autoDeletesSourcesLeftWithoutBindings() {
        f.declareAutoDelete("ad", ExchangeType.FANOUT);
        f.declareAutoDelete("shared", ExchangeType.FANOUT);
        f.bindQueue("ad", "q", "");
        f.bindQueue("shared", "q", "");
        f.bindQueue("shared", "keep", "");

        Deletions deletions = vhost.removeDestination(Destination.queue("q"));

        assertThat(deletions.exchanges()).extracting(Exchange::name).containsExactly("ad");
        assertThat(vhost.exchange("ad")).isEmpty();
        assertThat(vhost.exchange("shared")).isPresent();
    }

    @Test
    void dropsBindingsToAnExchangeDestination() {
        f.declare("a", ExchangeType.FANOUT);
        f.declare("b", ExchangeType.FANOUT);
        f.bindExchange("a", "b", "");

        assertThat(vhost.removeDestination(Destination.exchange("b")).bindings()).hasSize(1);
        assertThat(vhost.bindingsFrom("a")).isEmpty();
    }

    @Test
    void unknownDestinationIsFine() {
        assertThat(vhost.removeDestination(Destination.queue("never"))).isEqualTo(Deletions.NONE);
    }
}
