package io.warren.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectExchangeTest {

    private final Fixture f = new Fixture();

    @Test
    void routesByExactKey() {
        f.declare("d", ExchangeType.DIRECT);
        f.bindQueue("d", "q1", "info");
        f.bindQueue("d", "q2", "warn");
        f.bindQueue("d", "q3", "info");

        assertThat(f.route("d", "info")).containsExactlyInAnyOrder("q1", "q3");
        assertThat(f.route("d", "warn")).containsExactly("q2");
        assertThat(f.route("d", "Info")).isEmpty();
        assertThat(f.route("d", "")).isEmpty();
    }

    @Test
    void emptyKeyIsAKeyLikeAnyOther() {
        f.declare("d", ExchangeType.DIRECT);
        f.bindQueue("d", "q", "");

        assertThat(f.route("d", "")).containsExactly("q");
        assertThat(f.route("d", "x")).isEmpty();
    }

    @Test
    void bindingsDifferingOnlyByArgumentsAreDistinctButDeliverOnce() {
        f.declare("d", ExchangeType.DIRECT);
        f.queues("q");
        assertThat(f.vhost.bind(new Binding("d", Destination.queue("q"), "k", Map.of("a", 1)))).isTrue();
        assertThat(f.vhost.bind(new Binding("d", Destination.queue("q"), "k", Map.of("a", 2)))).isTrue();

        assertThat(f.vhost.bindingsFrom("d")).hasSize(2);
        assertThat(f.route("d", "k")).containsExactly("q");
    }

    @Test
    void repeatedRoutesShareOnePrecomputedResult() {
        f.declare("d", ExchangeType.DIRECT);
        f.bindQueue("d", "q", "k");

        RouteResult first = f.vhost.route("d", "k", null);
        RouteResult second = f.vhost.route("d", "k", Map.of("h", 1));

        assertThat(second).isSameAs(first);
        assertThat(f.vhost.route("d", "none", null)).isSameAs(RouteResult.EMPTY);
    }

    @Test
    void unbindStopsRouting() {
        f.declare("d", ExchangeType.DIRECT);
        f.bindQueue("d", "q", "k");
        f.vhost.unbind(new Binding("d", Destination.queue("q"), "k"));

        assertThat(f.route("d", "k")).isEmpty();
    }

    @Test
    void predeclaredAmqDirectRoutes() {
        f.bindQueue("amq.direct", "q", "k");

        assertThat(f.route("amq.direct", "k")).containsExactly("q");
    }
}
