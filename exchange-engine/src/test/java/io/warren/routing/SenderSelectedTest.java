package io.warren.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SenderSelectedTest {

    private final Fixture f = new Fixture();

    @Test
    void ccAndBccKeysAreRoutedToo() {
        f.declare("d", ExchangeType.DIRECT);
        f.bindQueue("d", "a", "ka");
        f.bindQueue("d", "b", "kb");
        f.bindQueue("d", "c", "kc");

        assertThat(f.route("d", "ka", Map.of("CC", List.of("kb")))).containsExactlyInAnyOrder("a", "b");
        assertThat(f.route("d", "ka", Map.of("BCC", List.of("kc")))).containsExactlyInAnyOrder("a", "c");
        assertThat(f.route("d", "none", Map.of("CC", List.of("kb", "kc"), "BCC", List.of("kb"))))
                .containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void listElementsAreStringsOfAnyTypeAndOtherValuesAreIgnored() {
        f.declare("d", ExchangeType.DIRECT);
        f.bindQueue("d", "b", "kb");
        f.bindQueue("d", "one", "1");

        assertThat(f.route("d", "x", Map.of("CC", List.of(new StringBuilder("kb"))))).containsExactly("b");
        assertThat(f.route("d", "x", Map.of("CC", List.of(1)))).isEmpty();
    }

    @Test
    void aCcOrBccThatIsNotAnArrayIsRefusedAsRabbitMqDoes() {
        f.declare("d", ExchangeType.DIRECT);
        f.bindQueue("d", "b", "kb");

        Refusals.assertRefused(() -> f.route("d", "x", Map.of("CC", "kb")), RoutingException.Reason.PRECONDITION_FAILED,
                "invalid message: {unacceptable_type_in_header,\"CC\",longstr}");
        Refusals.assertRefused(() -> f.route("d", "x", Map.of("BCC", 5)), RoutingException.Reason.PRECONDITION_FAILED,
                "invalid message: {unacceptable_type_in_header,\"BCC\",signedint}");
    }

    @Test
    void worksWithTopicAndDefaultExchanges() {
        f.declare("t", ExchangeType.TOPIC);
        f.bindQueue("t", "stocks", "stock.#");
        f.queues("audit");

        assertThat(f.route("t", "bond.x", Map.of("CC", List.of("stock.usd")))).containsExactly("stocks");
        assertThat(f.route("", "nobody", Map.of("BCC", List.of("audit")))).containsExactly("audit");
    }

    @Test
    void alternateExchangeOnlyWhenNoKeyMatches() {
        f.declare("ae", ExchangeType.FANOUT);
        f.bindQueue("ae", "unrouted", "");
        f.declare("d", ExchangeType.DIRECT, Map.of("alternate-exchange", "ae"));
        f.bindQueue("d", "b", "kb");

        assertThat(f.route("d", "none", Map.of("CC", List.of("kb")))).containsExactly("b");
        assertThat(f.route("d", "none", Map.of("CC", List.of("nope")))).containsExactly("unrouted");
    }

    @Test
    void ccKeysFollowExchangeToExchangeBindings() {
        f.declare("front", ExchangeType.FANOUT);
        f.declare("back", ExchangeType.DIRECT);
        f.bindExchange("front", "back", "");
        f.bindQueue("back", "b", "kb");

        assertThat(f.route("front", "ka", Map.of("CC", List.of("kb")))).containsExactly("b");
    }
}
