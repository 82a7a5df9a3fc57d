package io.warren.mirror.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.ratis.retry.MultipleLinearRandomRetry;
import org.apache.ratis.retry.RetryPolicy;
import org.junit.jupiter.api.Test;

/** Ratis reads these policies from text and falls back to its own default on text it cannot parse: they must parse. */
class RetryPoliciesTest {

    private static RetryPolicy.Event attempt(int n) {
        return new RetryPolicy.Event() {
            @Override
            public int getAttemptCount() {
                return n;
            }

            @Override
            public int getCauseCount() {
                return n;
            }
        };
    }

    @Test
    void theClientRetriesSoonAFewTimesThenEveryHundredMilliseconds() {
        MultipleLinearRandomRetry policy = MultipleLinearRandomRetry.parseCommaSeparated(ControlPlane.CLIENT_RETRY);
        assertThat(policy).isNotNull();
        for (int n = 1; n <= 5; n++) {
            RetryPolicy.Action a = policy.handleAttemptFailure(attempt(n));
            assertThat(a.shouldRetry()).isTrue();
            assertThat(a.getSleepTime().toLong(java.util.concurrent.TimeUnit.MILLISECONDS)).isBetween(10L, 30L);
        }
        RetryPolicy.Action later = policy.handleAttemptFailure(attempt(50));
        assertThat(later.shouldRetry()).isTrue();
        assertThat(later.getSleepTime().toLong(java.util.concurrent.TimeUnit.MILLISECONDS)).isBetween(50L, 150L);
    }

    @Test
    void theLeaderRetriesAnUnreachableMemberForGood() {
        MultipleLinearRandomRetry policy = MultipleLinearRandomRetry.parseCommaSeparated(ControlPlane.APPENDER_RETRY);
        assertThat(policy).isNotNull();
        assertThat(policy.handleAttemptFailure(attempt(1_000_000)).shouldRetry()).isTrue();
    }
}
