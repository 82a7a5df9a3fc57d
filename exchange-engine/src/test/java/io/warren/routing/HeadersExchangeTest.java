package io.warren.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class HeadersExchangeTest {

    private final Fixture f = new Fixture();

    /** A map from alternating keys and values; values may be null (an AMQP void). */
    static Map<String, Object> t(Object... kv) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) map.put((String) kv[i], kv[i + 1]);
        return map;
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // binding arguments, message headers (null = no headers), matches
                Arguments.of(t(), null, true),
                Arguments.of(t(), t("a", 1), true),
                Arguments.of(t("x-match", "all"), t(), true),
                Arguments.of(t("x-match", "any"), t("a", 1), false),
                Arguments.of(t("a", 1), t("a", 1), true),
                Arguments.of(t("a", 1), null, false),
                Arguments.of(t("a", 1, "b", "x"), t("a", 1, "b", "x", "c", true), true),
                Arguments.of(t("a", 1, "b", "x"), t("a", 1), false),
                Arguments.of(t("a", 1, "b", "x"), t("a", 1, "b", "y"), false),
                Arguments.of(t("x-match", "any", "a", 1, "b", "x"), t("b", "x"), true),
                Arguments.of(t("x-match", "any", "a", 1, "b", "x"), t("a", 2, "b", "y"), false),
                Arguments.of(t("x-match", "any", "a", 1), t(), false),
                // void binding value: presence only
                Arguments.of(t("a", null), t("a", "anything"), true),
                Arguments.of(t("a", null), t("a", null), true),
                Arguments.of(t("a", null), t("b", 1), false),
                Arguments.of(t("a", 1), t("a", null), false),
                Arguments.of(t("x-match", "any", "a", null, "b", 2), t("a", 0), true),
                // x- binding arguments are ignored unless -with-x
                Arguments.of(t("x-tenant", "t1"), t(), true),
                Arguments.of(t("x-match", "any", "x-tenant", "t1"), t("x-tenant", "t1"), false),
                Arguments.of(t("x-tenant", "t1", "a", 1), t("a", 1, "x-tenant", "t2"), true),
                Arguments.of(t("x-match", "all-with-x", "x-tenant", "t1"), t("x-tenant", "t1"), true),
                Arguments.of(t("x-match", "all-with-x", "x-tenant", "t1"), t("x-tenant", "t2"), false),
                Arguments.of(t("x-match", "all-with-x", "x-tenant", "t1", "a", 1), t("a", 1), false),
                Arguments.of(t("x-match", "any-with-x", "x-tenant", "t1", "a", 1), t("x-tenant", "t1"), true),
                Arguments.of(t("x-match", "any-with-x", "x-tenant", "t1"), t("x-tenant", "t2"), false),
                // Erlang == : numbers by value across widths, strings by content
                Arguments.of(t("a", 1), t("a", 1L), true),
                Arguments.of(t("a", (short) 7), t("a", 7), true),
                Arguments.of(t("a", 1), t("a", 1.0), true),
                Arguments.of(t("a", 1), t("a", "1"), false),
                Arguments.of(t("a", true), t("a", true), true),
                Arguments.of(t("a", true), t("a", false), false),
                Arguments.of(t("a", new StringBuilder("v")), t("a", "v"), true),
                Arguments.of(t("a", List.of("x", 1)), t("a", List.of("x", 1)), true),
                Arguments.of(t("a", Map.of("k", "v")), t("a", Map.of("k", "v")), true),
                // long strings and byte arrays are both binaries in RabbitMQ: same bytes match, either way round
                Arguments.of(t("a", "abc"), t("a", new ByteArray("abc".getBytes())), true),
                Arguments.of(t("a", new ByteArray("abc".getBytes())), t("a", "abc"), true),
                Arguments.of(t("a", new ByteArray("abc".getBytes())), t("a", new ByteArray("abc".getBytes())), true),
                Arguments.of(t("a", "abc"), t("a", new ByteArray("abd".getBytes())), false),
                Arguments.of(t("a", new ByteArray("1".getBytes())), t("a", 1), false));
    }

    /** Stands for amqp-protocol's ByteArray (a field value of type 'x'), which this module only knows by name. */
    record ByteArray(byte[] bytes) {
        @Override
        public String toString() {
            return "ByteArray" + java.util.Arrays.toString(bytes);
        }
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @MethodSource("table")
    void matchesLikeRabbitMq(Map<String, Object> bindingArgs, Map<String, Object> headers, boolean matches) {
        f.declare("h", ExchangeType.HEADERS);
        f.bindQueue("h", "q", bindingArgs);

        assertThat(f.route("h", "ignored", headers).contains("q")).isEqualTo(matches);
    }

    @Test
    void routingKeyPlaysNoPart() {
        f.declare("h", ExchangeType.HEADERS);
        f.bindQueue("h", "q1", t("a", 1));
        f.bindQueue("h", "q2", t("x-match", "any", "a", 2, "b", 3));

        assertThat(f.route("h", "any.key", t("a", 1, "b", 3))).containsExactlyInAnyOrder("q1", "q2");
        assertThat(f.route("h", "", t("a", 2))).containsExactly("q2");
    }

    @Test
    void invalidXMatchValueIsRefused() {
        f.declare("h", ExchangeType.HEADERS);

        assertThatThrownBy(() -> f.bindQueue("h", "q", t("x-match", "some")))
                .isInstanceOfSatisfying(RoutingException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RoutingException.Reason.PRECONDITION_FAILED);
                    assertThat(e.text()).isEqualTo("Invalid x-match field value <<\"some\">>; "
                            + "expected all, any, all-with-x, or any-with-x");
                });
        assertThatThrownBy(() -> f.bindQueue("h", "q", t("x-match", 5)))
                .isInstanceOfSatisfying(RoutingException.class, e -> assertThat(e.text())
                        .isEqualTo("Invalid x-match field type signedint (value 5); expected longstr"));
        assertThat(f.vhost.bindingsFrom("h")).isEmpty();
    }

    @Test
    void amqMatchAndAmqHeadersAreHeadersExchanges() {
        f.bindQueue("amq.match", "q1", t("a", 1));
        f.bindQueue("amq.headers", "q2", t("a", 1));

        assertThat(f.route("amq.match", "", t("a", 1))).containsExactly("q1");
        assertThat(f.route("amq.headers", "", t("a", 1))).containsExactly("q2");
    }

    @Test
    void bindingArgumentsAreCopiedAndKeepVoidValues() {
        Map<String, Object> args = new HashMap<>(t("a", null));
        Binding binding = new Binding("h", Destination.queue("q"), "", args);
        args.put("b", 2);

        assertThat(binding.arguments()).containsOnlyKeys("a");
        assertThat(Arrays.asList(binding.arguments().values().toArray())).containsExactly((Object) null);
    }
}
