package io.warren.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordsTest {

    @Test
    void componentsAreRequired() {
        assertThatThrownBy(() -> new Destination(null, "q")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Destination.queue(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Binding(null, Destination.queue("q"), "k")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Binding("x", null, "k")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Binding("x", Destination.queue("q"), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Exchange(null, ExchangeType.DIRECT, true, false, false, Map.of()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Exchange("x", null, true, false, false, Map.of()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new RoutingException(null, "t")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new VirtualHost("/", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void argumentsAreImmutableCopiesAndNullMeansEmpty() {
        Map<String, Object> args = new HashMap<>();
        args.put("alternate-exchange", "ae");
        Exchange exchange = new Exchange("x", ExchangeType.DIRECT, true, false, false, args);
        args.put("other", 1);

        assertThat(exchange.arguments()).containsOnlyKeys("alternate-exchange");
        assertThatThrownBy(() -> exchange.arguments().put("y", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new Exchange("x", ExchangeType.DIRECT, true, false, false, null).arguments()).isEmpty();
        assertThat(new Binding("x", Destination.queue("q"), "k", null).arguments()).isEmpty();
    }

    @Test
    void bindingsAreEqualByAllFourComponents() {
        Binding a = new Binding("x", Destination.queue("q"), "k", Map.of("a", 1));

        assertThat(a).isEqualTo(new Binding("x", Destination.queue("q"), "k", new HashMap<>(Map.of("a", 1))));
        assertThat(a).isNotEqualTo(new Binding("x", Destination.queue("q"), "k"));
        assertThat(a).isNotEqualTo(new Binding("x", Destination.exchange("q"), "k", Map.of("a", 1)));
    }

    @Test
    void alternateExchangeMustBeAString() {
        assertThat(new Exchange("x", ExchangeType.DIRECT, true, false, false, Map.of("alternate-exchange", 1))
                .alternateExchange()).isEmpty();
        assertThat(Exchange.durable("x", ExchangeType.FANOUT).alternateExchange()).isEmpty();
    }

    @Test
    void routeResultIsAnImmutableCopy() {
        Set<String> queues = new java.util.HashSet<>(Set.of("a"));
        RouteResult result = new RouteResult(queues);
        queues.add("b");

        assertThat(result.queues()).containsExactly("a");
        assertThat(result.size()).isEqualTo(1);
        assertThat(result.contains("a")).isTrue();
        assertThat(RouteResult.EMPTY.isEmpty()).isTrue();
    }
}
