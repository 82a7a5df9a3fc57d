package io.warren.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TopicExchangeTest {

    private final Fixture f = new Fixture();

    static Stream<Arguments> cases() {
        return Stream.of(
                // binding key, routing key, matches
                Arguments.of("a.b", "a.b", true),
                Arguments.of("a.b", "a.c", false),
                Arguments.of("a.*", "a.b", true),
                Arguments.of("a.*", "a", false),
                Arguments.of("a.*", "a.b.c", false),
                Arguments.of("*", "", false),
                Arguments.of("*", "a", true),
                Arguments.of("*", ".", false),
                Arguments.of("*.*", ".", true),
                Arguments.of("#", "", true),
                Arguments.of("#", "a.b.c", true),
                Arguments.of("#", "..", true),
                Arguments.of("a.#", "a", true),
                Arguments.of("a.#", "a.b.c", true),
                Arguments.of("a.#", "b.a", false),
                Arguments.of("#.a", "a", true),
                Arguments.of("#.a", "x.y.a", true),
                Arguments.of("#.a", "a.x", false),
                Arguments.of("a.#.b", "a.b", true),
                Arguments.of("a.#.b", "a.x.y.b", true),
                Arguments.of("a.#.b", "a.x.y.c", false),
                Arguments.of("#.#", "", true),
                Arguments.of("#.*", "", false),
                Arguments.of("#.*", "a", true),
                Arguments.of("*.#", "a.b", true),
                Arguments.of("a..b", "a..b", true),
                Arguments.of("a..b", "a.b", false),
                Arguments.of("a.*.b", "a..b", true),
                Arguments.of("a.#.b", "a..b", true),
                Arguments.of(".a", ".a", true),
                Arguments.of(".a", "a", false),
                Arguments.of("*.a", ".a", true),
                Arguments.of("a.", "a.", true),
                Arguments.of("a.", "a", false),
                Arguments.of("a.*", "a.", true),
                Arguments.of("a.#", "a.", true),
                Arguments.of("", "", true),
                Arguments.of("", "a", false),
                Arguments.of("a#", "ab", false),
                Arguments.of("a#", "a#", true),
                Arguments.of("a*", "ab", false),
                Arguments.of("#.#.#.#.#.#.#.#.z", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y", false));
    }

    @ParameterizedTest(name = "binding ''{0}'' vs key ''{1}'' -> {2}")
    @MethodSource("cases")
    void matchesLikeRabbitMq(String bindingKey, String routingKey, boolean matches) {
        f.declare("t", ExchangeType.TOPIC);
        f.bindQueue("t", "q", bindingKey);

        assertThat(f.route("t", routingKey).contains("q")).isEqualTo(matches);
    }

    @Test
    void severalBindingsShareTrieNodes() {
        f.declare("t", ExchangeType.TOPIC);
        f.bindQueue("t", "all", "#");
        f.bindQueue("t", "stock", "stock.*");
        f.bindQueue("t", "usd", "stock.usd");
        f.bindQueue("t", "nyse", "stock.*.nyse");
        f.bindQueue("t", "any", "*.usd.#");

        assertThat(f.route("t", "stock.usd")).containsExactlyInAnyOrder("all", "stock", "usd", "any");
        assertThat(f.route("t", "stock.usd.nyse")).containsExactlyInAnyOrder("all", "nyse", "any");
        assertThat(f.route("t", "bond")).containsExactly("all");
    }

    @Test
    void cachedResultsAreInvalidatedByBindingChanges() {
        f.declare("t", ExchangeType.TOPIC);
        f.bindQueue("t", "q1", "a.*");
        assertThat(f.route("t", "a.b")).containsExactly("q1");
        assertThat(f.vhost.route("t", "a.b", null)).isSameAs(f.vhost.route("t", "a.b", null));

        f.bindQueue("t", "q2", "#.b");
        assertThat(f.route("t", "a.b")).containsExactlyInAnyOrder("q1", "q2");

        f.vhost.unbind(new Binding("t", Destination.queue("q1"), "a.*"));
        assertThat(f.route("t", "a.b")).containsExactly("q2");
    }

    @Test
    void cacheSurvivesUnrelatedChangesAndRedeclaredExchangesStartFresh() {
        f.declare("t", ExchangeType.TOPIC);
        f.bindQueue("t", "q1", "a.*");
        assertThat(f.route("t", "a.b")).containsExactly("q1");

        f.declare("other", ExchangeType.DIRECT);
        f.bindQueue("other", "q9", "k");
        assertThat(f.route("t", "a.b")).containsExactly("q1");

        f.vhost.deleteExchange("t", false);
        f.declare("t", ExchangeType.TOPIC);
        assertThat(f.route("t", "a.b")).isEmpty();
    }

    @Test
    void predeclaredAmqTopicRoutes() {
        f.bindQueue("amq.topic", "q", "x.#");

        assertThat(f.route("amq.topic", "x.y")).containsExactly("q");
    }
}
