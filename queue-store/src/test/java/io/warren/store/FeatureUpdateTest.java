package io.warren.store;

import static io.warren.store.FeatureFixture.features;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A running queue follows new features (a policy changed): limits trim at once, dead-lettering starts, TTL applies to arrivals. */
class FeatureUpdateTest {

    private final FeatureFixture f = new FeatureFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aNewLengthLimitTrimsAtOnceAndANewDeadLetterExchangeTakesTheDropped() {
        MessageQueue q = f.queue(QueueFeatures.NONE);
        f.enqueue(q, 1, 2, 3, 4, 5);
        assertThat(q.updateFeatures(() -> features().maxLength(2).dlx("dlx", null).build())).isCompleted();
        assertThat(q.messageCount()).isEqualTo(2);
        assertThat(f.deadIds()).containsExactly(1L, 2L, 3L);
        f.enqueue(q, 6);
        assertThat(q.messageCount()).isEqualTo(2);
        assertThat(q.updateFeatures(() -> QueueFeatures.NONE)).isCompleted();
        f.enqueue(q, 7);
        assertThat(q.messageCount()).isEqualTo(3);
        assertThat(f.drainIds(q)).containsExactly(5L, 6L, 7L);
    }

    @Test
    void aFailingComputationKeepsTheFeatures() {
        MessageQueue q = f.queue(features().maxLength(1).build());
        assertThat(q.updateFeatures(() -> {
            throw new IllegalStateException("refused");
        })).isCompletedExceptionally();
        assertThat(f.failures).singleElement().satisfies(e -> assertThat(e).hasMessage("refused")); // reported
        f.failures.clear();
        f.enqueue(q, 1, 2);
        assertThat(q.messageCount()).isEqualTo(1);
    }
}
