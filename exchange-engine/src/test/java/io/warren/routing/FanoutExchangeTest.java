package io.warren.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FanoutExchangeTest {

    private final Fixture f = new Fixture();

    @Test
    void routesToEveryBoundQueueWhateverTheKey() {
        f.declare("logs", ExchangeType.FANOUT);
        f.bindQueue("logs", "q1", "ignored");
        f.bindQueue("logs", "q2", "");
        f.bindQueue("logs", "q1", "other");

        assertThat(f.route("logs", "anything")).containsExactlyInAnyOrder("q1", "q2");
        assertThat(f.route("logs", "")).containsExactlyInAnyOrder("q1", "q2");
    }

    @Test
    void noBindingsIsUnroutable() {
        f.declare("logs", ExchangeType.FANOUT);

        assertThat(f.vhost.route("logs", "k", null).isEmpty()).isTrue();
    }

    @Test
    void predeclaredAmqFanoutRoutes() {
        f.bindQueue("amq.fanout", "q", "");

        assertThat(f.route("amq.fanout", "x")).containsExactly("q");
    }
}
