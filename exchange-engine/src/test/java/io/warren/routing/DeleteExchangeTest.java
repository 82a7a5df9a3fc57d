package io.warren.routing;

import static io.warren.routing.Refusals.assertRefused;
import static io.warren.routing.RoutingException.Reason.ACCESS_REFUSED;
import static io.warren.routing.RoutingException.Reason.PRECONDITION_FAILED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeleteExchangeTest {

    private final Fixture f = new Fixture();
    private final VirtualHost vhost = f.vhost;

    @Test
    void deleteRemovesTheExchangeAndItsBindingsBothWays() {
        f.declare("x", ExchangeType.DIRECT);
        f.declare("up", ExchangeType.FANOUT);
        f.bindQueue("x", "q", "k");
        f.bindExchange("up", "x", "");

        Deletions deletions = vhost.deleteExchange("x", false);

        assertThat(deletions.exchanges()).extracting(Exchange::name).containsExactly("x");
        assertThat(deletions.bindings()).hasSize(2);
        assertThat(vhost.exchange("x")).isEmpty();
        assertThat(vhost.bindings()).isEmpty();
        assertThat(vhost.bindingsTo(Destination.queue("q"))).isEmpty();
        assertThat(f.route("up", "k")).isEmpty();
    }

    @Test
    void deletingAMissingExchangeSucceeds() {
        assertThat(vhost.deleteExchange("nope", false).isEmpty()).isTrue();
        assertThat(vhost.deleteExchange("nope", true)).isEqualTo(Deletions.NONE);
    }

    @Test
    void ifUnusedRefusesAnExchangeWithBindingsAsSource() {
        f.declare("x", ExchangeType.DIRECT);
        f.bindQueue("x", "q", "k");

        assertRefused(() -> vhost.deleteExchange("x", true), PRECONDITION_FAILED, "exchange 'x' in vhost '/' in use");
        assertThat(vhost.exchange("x")).isPresent();
        assertThat(f.route("x", "k")).containsExactly("q");
    }

    @Test
    void ifUnusedIgnoresBindingsAsDestination() {
        f.declare("x", ExchangeType.DIRECT);
        f.declare("up", ExchangeType.DIRECT);
        f.bindExchange("up", "x", "k");

        vhost.deleteExchange("x", true);

        assertThat(vhost.exchange("x")).isEmpty();
        assertThat(vhost.bindingsFrom("up")).isEmpty();
    }

    @Test
    void systemExchangesCannotBeDeleted() {
        assertRefused(() -> vhost.deleteExchange("amq.direct", false),
                ACCESS_REFUSED, "deletion of system exchange 'amq.direct' in vhost '/' not allowed");
        assertRefused(() -> vhost.deleteExchange("amq.foo", false),
                ACCESS_REFUSED, "deletion of system exchange 'amq.foo' in vhost '/' not allowed");
        assertThat(vhost.exchange("amq.direct")).isPresent();
    }

    @Test
    void autoDeleteExchangeGoesWithItsLastBinding() {
        f.declareAutoDelete("ad", ExchangeType.FANOUT);
        f.bindQueue("ad", "q1", "");
        f.bindQueue("ad", "q2", "");

        assertThat(vhost.unbind(new Binding("ad", Destination.queue("q1"), "")).exchanges()).isEmpty();
        assertThat(vhost.exchange("ad")).isPresent();

        Deletions last = vhost.unbind(new Binding("ad", Destination.queue("q2"), ""));
        assertThat(last.exchanges()).extracting(Exchange::name).containsExactly("ad");
        assertThat(vhost.exchange("ad")).isEmpty();
    }

    @Test
    void autoDeleteExchangeWithoutBindingsSurvivesUntilItHadOne() {
        f.declareAutoDelete("ad", ExchangeType.FANOUT);

        assertThat(vhost.exchange("ad")).isPresent();
        assertThat(vhost.unbind(new Binding("ad", Destination.queue("q"), "")).isEmpty()).isTrue();
    }

    @Test
    void autoDeleteCascadesThroughExchangeToExchangeBindings() {
        f.declareAutoDelete("a", ExchangeType.FANOUT);
        f.declareAutoDelete("b", ExchangeType.FANOUT);
        f.declare("c", ExchangeType.FANOUT);
        f.bindExchange("a", "b", "");
        f.bindExchange("b", "c", "");

        Deletions deletions = vhost.deleteExchange("c", false);

        assertThat(deletions.exchanges()).extracting(Exchange::name).containsExactly("c", "b", "a");
        assertThat(vhost.bindings()).isEmpty();
    }

    @Test
    void autoDeleteCycleEnds() {
        f.declareAutoDelete("a", ExchangeType.FANOUT);
        f.declareAutoDelete("b", ExchangeType.FANOUT);
        f.bindExchange("a", "b", "");
        f.bindExchange("b", "a", "");

        Deletions deletions = vhost.unbind(new Binding("a", Destination.exchange("b"), ""));

        assertThat(deletions.exchanges()).extracting(Exchange::name).containsExactly("a", "b");
        assertThat(vhost.bindings()).isEmpty();
        assertThat(vhost.bindingsTo(Destination.exchange("a"))).isEmpty();
    }
}
