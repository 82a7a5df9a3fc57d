package io.warren.routing;

import static io.warren.routing.Refusals.assertRefused;
import static io.warren.routing.RoutingException.Reason.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BindingRulesTest {

    private final Fixture f = new Fixture();
    private final VirtualHost vhost = f.vhost;

    @Test
    void bindIsIdempotent() {
        f.declare("x", ExchangeType.DIRECT);

        assertThat(f.bindQueue("x", "q", "k")).isTrue();
        assertThat(f.bindQueue("x", "q", "k")).isFalse();
        assertThat(vhost.bindings()).containsExactly(new Binding("x", Destination.queue("q"), "k"));
    }

    @Test
    void missingSourceOrDestinationIsNotFound() {
        f.declare("x", ExchangeType.DIRECT);

        assertRefused(() -> vhost.bind(new Binding("nope", Destination.queue("q"), "k")),
                NOT_FOUND, "no exchange 'nope' in vhost '/'");
        assertRefused(() -> vhost.bind(new Binding("x", Destination.queue("q"), "k")),
                NOT_FOUND, "no queue 'q' in vhost '/'");
        assertRefused(() -> vhost.bind(new Binding("x", Destination.exchange("y"), "k")),
                NOT_FOUND, "no exchange 'y' in vhost '/'");
        assertThat(vhost.bindings()).isEmpty();
    }

    @Test
    void unbindingFromOrToSomethingMissingIsANoOp() {
        assertThat(vhost.unbind(new Binding("nope", Destination.queue("q"), "k"))).isEqualTo(Deletions.NONE);
        assertThat(vhost.unbind(new Binding("amq.direct", Destination.exchange("nope"), "k"))).isEqualTo(Deletions.NONE);
    }

    @Test
    void unbindingWhatIsNotBoundIsANoOp() {
        f.declare("x", ExchangeType.DIRECT);
        f.queues("q");

        assertThat(vhost.unbind(new Binding("x", Destination.queue("q"), "k"))).isEqualTo(Deletions.NONE);
    }

    @Test
    void unbindNeedsTheSameArguments() {
        f.declare("x", ExchangeType.HEADERS);
        f.bindQueue("x", "q", HeadersExchangeTest.t("a", 1));

        vhost.unbind(new Binding("x", Destination.queue("q"), ""));
        assertThat(vhost.bindings()).hasSize(1);

        Deletions removed = vhost.unbind(new Binding("x", Destination.queue("q"), "", HeadersExchangeTest.t("a", 1)));
        assertThat(removed.bindings()).hasSize(1);
        assertThat(vhost.bindings()).isEmpty();
    }

    @Test
    void managementViews() {
        f.declare("x", ExchangeType.DIRECT);
        f.declare("y", ExchangeType.FANOUT);
        f.bindQueue("x", "q", "a");
        f.bindQueue("y", "q", "");
        f.bindExchange("x", "y", "b");

        assertThat(vhost.bindings()).hasSize(3);
        assertThat(vhost.bindingsFrom("x")).extracting(Binding::routingKey).containsExactly("a", "b");
        assertThat(vhost.bindingsFrom("missing")).isEmpty();
        assertThat(vhost.bindingsTo(Destination.queue("q"))).extracting(Binding::source).containsExactly("x", "y");
        assertThat(vhost.bindingsTo(Destination.exchange("y"))).containsExactly(
                new Binding("x", Destination.exchange("y"), "b"));
        assertThat(vhost.exchanges()).extracting(Exchange::name).contains("x", "y");
    }
}
