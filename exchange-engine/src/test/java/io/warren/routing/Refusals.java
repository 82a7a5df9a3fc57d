package io.warren.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts the reason and exact reply text of a RoutingException. */
final class Refusals {

    private Refusals() {
    }

    static void assertRefused(ThrowingCallable action, RoutingException.Reason reason, String text) {
        assertThatThrownBy(action).isInstanceOfSatisfying(RoutingException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.text()).isEqualTo(text);
        });
    }
}
