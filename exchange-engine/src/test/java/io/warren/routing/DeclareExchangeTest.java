package io.warren.routing;

import static io.warren.routing.Refusals.assertRefused;
import static io.warren.routing.RoutingException.Reason.ACCESS_REFUSED;
import static io.warren.routing.RoutingException.Reason.NOT_FOUND;
import static io.warren.routing.RoutingException.Reason.PRECONDITION_FAILED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeclareExchangeTest {

    private final Fixture f = new Fixture();
    private final VirtualHost vhost = f.vhost;

    private static Exchange logs(ExchangeType type, boolean durable, boolean autoDelete, boolean internal,
                                 Map<String, Object> args) {
        return new Exchange("logs", type, durable, autoDelete, internal, args);
    }

    @Test
    void predeclaresRabbitMqsExchanges() {
        assertThat(vhost.exchanges()).extracting(Exchange::name)
                .containsExactlyInAnyOrder("", "amq.direct", "amq.fanout", "amq.topic", "amq.headers", "amq.match",
                        "amq.rabbitmq.trace");
        assertThat(vhost.requireExchange("amq.match").type()).isEqualTo(ExchangeType.HEADERS);
        assertThat(vhost.exchanges()).allSatisfy(x -> {
            assertThat(x.durable()).isTrue();
            assertThat(x.autoDelete()).isFalse();
            // only the firehose's exchange is internal: the broker alone publishes to it
            assertThat(x.internal()).isEqualTo(x.name().equals(VirtualHost.TRACE_EXCHANGE));
        });
        assertThat(vhost.requireExchange(VirtualHost.TRACE_EXCHANGE).type()).isEqualTo(ExchangeType.TOPIC);
        assertThat(vhost.bindings()).isEmpty();
    }

    @Test
    void declareIsIdempotent() {
        Exchange first = vhost.declareExchange(logs(ExchangeType.DIRECT, true, false, false, Map.of()));
        Exchange again = vhost.declareExchange(logs(ExchangeType.DIRECT, true, false, false, Map.of()));

        assertThat(again).isEqualTo(first);
        assertThat(vhost.exchange("logs")).contains(first);
    }

    @Test
    void redeclareWithAnotherTypeIsPreconditionFailed() {
        vhost.declareExchange(logs(ExchangeType.DIRECT, true, false, false, Map.of()));

        assertRefused(() -> vhost.declareExchange(logs(ExchangeType.FANOUT, true, false, false, Map.of())),
                PRECONDITION_FAILED,
                "inequivalent arg 'type' for exchange 'logs' in vhost '/': received 'fanout' but current is 'direct'");
    }

    @Test
    void redeclareWithOtherFlagsIsPreconditionFailed() {
        vhost.declareExchange(logs(ExchangeType.DIRECT, true, false, false, Map.of()));

        assertRefused(() -> vhost.declareExchange(logs(ExchangeType.DIRECT, false, false, false, Map.of())),
                PRECONDITION_FAILED,
                "inequivalent arg 'durable' for exchange 'logs' in vhost '/': received 'false' but current is 'true'");
        assertRefused(() -> vhost.declareExchange(logs(ExchangeType.DIRECT, true, true, false, Map.of())),
                PRECONDITION_FAILED,
                "inequivalent arg 'auto_delete' for exchange 'logs' in vhost '/': received 'true' but current is 'false'");
        assertRefused(() -> vhost.declareExchange(logs(ExchangeType.DIRECT, true, false, true, Map.of())),
                PRECONDITION_FAILED,
                "inequivalent arg 'internal' for exchange 'logs' in vhost '/': received 'true' but current is 'false'");
    }

    @Test
    void redeclareComparesTheAlternateExchangeArgumentOnly() {
        vhost.declareExchange(logs(ExchangeType.DIRECT, true, false, false, Map.of("alternate-exchange", "ae1")));

        vhost.declareExchange(logs(ExchangeType.DIRECT, true, false, false,
                Map.of("alternate-exchange", new StringBuilder("ae1"), "x-other", 1)));
        assertRefused(() -> vhost.declareExchange(logs(ExchangeType.DIRECT, true, false, false,
                        Map.of("alternate-exchange", "ae2"))),
                PRECONDITION_FAILED,
                "inequivalent arg 'alternate-exchange' for exchange 'logs' in vhost '/': "
                        + "received the value 'ae2' of type 'longstr' but current is the value 'ae1' of type 'longstr'");
        assertRefused(() -> vhost.declareExchange(logs(ExchangeType.DIRECT, true, false, false, Map.of())),
                PRECONDITION_FAILED,
                "inequivalent arg 'alternate-exchange' for exchange 'logs' in vhost '/': "
                        + "received none but current is the value 'ae1' of type 'longstr'");
    }

    @Test
    void alternateExchangeAddedOnRedeclareIsPreconditionFailed() {
        vhost.declareExchange(logs(ExchangeType.DIRECT, true, false, false, Map.of()));

        assertRefused(() -> vhost.declareExchange(logs(ExchangeType.DIRECT, true, false, false,
                        Map.of("alternate-exchange", "ae"))),
                PRECONDITION_FAILED,
                "inequivalent arg 'alternate-exchange' for exchange 'logs' in vhost '/': "
                        + "received the value 'ae' of type 'longstr' but current is none");
    }

    @Test
    void newAmqPrefixedNamesAreReserved() {
        assertRefused(() -> vhost.declareExchange(Exchange.durable("amq.foo", ExchangeType.DIRECT)),
                ACCESS_REFUSED, "exchange name 'amq.foo' contains reserved prefix 'amq.*'");
        assertThat(vhost.exchange("amq.foo")).isEmpty();
    }

    @Test
    void predeclaredAmqExchangesCanBeRedeclaredEquivalently() {
        assertThat(vhost.declareExchange(Exchange.durable("amq.topic", ExchangeType.TOPIC)).name())
                .isEqualTo("amq.topic");
        assertRefused(() -> vhost.declareExchange(
                        new Exchange("amq.topic", ExchangeType.TOPIC, false, false, false, Map.of())),
                PRECONDITION_FAILED,
                "inequivalent arg 'durable' for exchange 'amq.topic' in vhost '/': received 'false' but current is 'true'");
    }

    @Test
    void unknownTypeIsCommandInvalid() {
        assertRefused(() -> ExchangeType.of("foo"), RoutingException.Reason.COMMAND_INVALID,
                "invalid exchange type 'foo'");
        for (ExchangeType type : ExchangeType.values()) assertThat(ExchangeType.of(type.wireName())).isEqualTo(type);
    }

    @Test
    void nonStringAlternateExchangeIsPreconditionFailed() {
        assertRefused(() -> f.declare("x", ExchangeType.DIRECT, Map.of("alternate-exchange", 5)),
                PRECONDITION_FAILED, "invalid type 'signedint' for arg 'alternate-exchange' in exchange 'x' in vhost '/'");
    }

    @Test
    void missingExchangeIsNotFound() {
        assertRefused(() -> vhost.requireExchange("x"), NOT_FOUND, "no exchange 'x' in vhost '/'");
        assertRefused(() -> vhost.route("x", "k", null), NOT_FOUND, "no exchange 'x' in vhost '/'");
    }

    @Test
    void vhostNameAppearsInTexts() {
        VirtualHost other = new VirtualHost("prod", q -> false);

        assertRefused(() -> other.requireExchange("x"), NOT_FOUND, "no exchange 'x' in vhost 'prod'");
    }
}
